// Where the data files live. The app runs from the sources (vitest, tsx: this file is
// src-main/core/readiness/) and from the built bundle (out/main/*.js, or resources/ beside the
// packaged app's asar). Rather than hard-code either depth, walk up from this module's folder
// until a folder holding resources/os-profiles is found. STX_LAB_RESOURCES overrides it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';

export function findResourcesDir(
  start: string = import.meta.dirname,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const forced = env.STX_LAB_RESOURCES;
  if (forced) return resolve(forced);
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'os-profiles'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new AppError(
    'not_found',
    `no resources/os-profiles folder above ${start}; set STX_LAB_RESOURCES to the resources folder`,
  );
}

export interface ResourcePaths {
  readonly dir: string;
  readonly profiles: string;
  readonly packageMap: string;
  readonly readinessRules: string;
  readonly manifests: string;
}

export function resourcePaths(dir: string): ResourcePaths {
  return {
    dir,
    profiles: join(dir, 'os-profiles'),
    packageMap: join(dir, 'package-map.yaml'),
    readinessRules: join(dir, 'readiness', 'multios.yaml'),
    manifests: join(dir, 'manifests'),
  };
}
