// The adapter for an OS profile: the profile names the package manager, this builds it.
import type { OsProfile } from '../os/profiles';
import type { Executor } from '../ssh/types';
import { AptDpkgPackageManager } from './apt-dpkg';
import type { PackageManager } from './package-manager';
import { RpmPackageManager } from './rpm';
import { SwupdPackageManager } from './swupd';

export interface PackageManagerOptions {
  /** Run privileged commands through `sudo -n` (a remote user that is not root). */
  readonly sudo?: boolean;
}

export function createPackageManager(
  profile: Pick<OsProfile, 'packages'>,
  executor: Executor,
  options: PackageManagerOptions = {},
): PackageManager {
  switch (profile.packages.manager) {
    case 'apt':
      return new AptDpkgPackageManager(executor, { sudo: options.sudo });
    case 'yum':
    case 'dnf':
      return new RpmPackageManager(executor, {
        frontend: profile.packages.manager,
        sudo: options.sudo,
      });
    case 'swupd':
      return new SwupdPackageManager(executor, { sudo: options.sudo });
  }
}
