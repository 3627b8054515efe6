// apt + dpkg: dpkg-query for the database, apt-cache for the repositories, dpkg for local files
// and dependency-safe removal, apt-get for repository installs and cascading removal.
import { AppError } from '../../shared/errors';
import type { Executor, SshTarget } from '../ssh/types';
import { checkInstallRequest, checkPackageName, checkPackageNames, checkSearchTerm } from './names';
import type {
  AvailablePackage,
  InstallRequest,
  OperationResult,
  PackageCandidate,
  PackageManager,
  PackageRecord,
  PackageUpdate,
  PmLongOptions,
  PmOptions,
  RemoveOptions,
  VerifyReport,
} from './package-manager';
import {
  DPKG_QUERY_FORMAT,
  parseAptCachePolicy,
  parseAptCacheSearch,
  parseAptGetSimulate,
  parseDpkgQuery,
} from './parse-deb';
import { parseVerifyOutput } from './parse-verify';
import {
  commandError,
  retryWhileLocked,
  runChecked,
  runRaw,
  toOperation,
  type RunContext,
} from './run';

export interface AptDpkgOptions {
  /** Run privileged commands through `sudo -n`. */
  readonly sudo?: boolean;
  /** dpkg --admindir (another package database, e.g. a chroot's); default the system's. */
  readonly admindir?: string;
  /**
   * How long installs and removals wait for a locked package database before failing with
   * reason 'locked' (dpkg: retried; apt-get: DPkg::Lock::Timeout, apt ≥ 1.9.11). Default 0.
   */
  readonly lockWaitMs?: number;
}

const NONINTERACTIVE = { DEBIAN_FRONTEND: 'noninteractive' };
const LIST_CAPTURE = 64 * 1024 * 1024;

export class AptDpkgPackageManager implements PackageManager {
  readonly format = 'deb' as const;
  readonly tool = 'apt' as const;

  constructor(
    private readonly executor: Executor,
    private readonly options: AptDpkgOptions = {},
  ) {}

  private ctx(target: SshTarget): RunContext {
    return { executor: this.executor, target, sudo: this.options.sudo };
  }

  private dpkgDb(): string[] {
    return this.options.admindir ? [`--admindir=${this.options.admindir}`] : [];
  }

  private aptLock(): string[] {
    return ['-o', `DPkg::Lock::Timeout=${Math.ceil((this.options.lockWaitMs ?? 0) / 1000)}`];
  }

  /** runChecked, retried while the database is locked (up to lockWaitMs). */
  private locked(
    target: SshTarget,
    spec: Parameters<typeof runChecked>[1],
    options: PmLongOptions,
  ): ReturnType<typeof runChecked> {
    return retryWhileLocked(
      () => runChecked(this.ctx(target), spec, options),
      this.options.lockWaitMs ?? 0,
      options.signal,
    );
  }

  async listInstalled(target: SshTarget, options: PmLongOptions = {}): Promise<PackageRecord[]> {
    const r = await runChecked(
      this.ctx(target),
      {
        argv: ['dpkg-query', ...this.dpkgDb(), '-W', `-f=${DPKG_QUERY_FORMAT}`],
        what: 'dpkg-query -W',
        captureLimit: LIST_CAPTURE,
        defaultTimeoutMs: 120_000,
      },
      { signal: options.signal, timeoutMs: options.timeoutMs },
    );
    if (r.truncated)
      throw new AppError('internal', 'the package list was larger than the capture limit');
    return parseDpkgQuery(r.stdout).filter((p) => p.installed);
  }

  async query(
    target: SshTarget,
    name: string,
    options: PmOptions = {},
  ): Promise<PackageRecord | null> {
    checkPackageName(name);
    const r = await runRaw(
      this.ctx(target),
      {
        argv: ['dpkg-query', ...this.dpkgDb(), '-W', `-f=${DPKG_QUERY_FORMAT}`, name],
        defaultTimeoutMs: 30_000,
      },
      options,
    );
    if (r.exitCode === 1 && /no packages found matching/.test(r.stderr)) return null;
    if (r.exitCode !== 0) throw commandError(r, `dpkg-query -W ${name}`);
    return (
      parseDpkgQuery(r.stdout).find((p) => p.name === name || p.name === name.split(':')[0]) ?? null
    );
  }

  async search(
    target: SshTarget,
    term: string,
    options: PmLongOptions = {},
  ): Promise<AvailablePackage[]> {
    checkSearchTerm(term);
    const r = await runChecked(
      this.ctx(target),
      {
        argv: ['apt-cache', 'search', '--names-only', term],
        what: `apt-cache search ${term}`,
        defaultTimeoutMs: 60_000,
      },
      { signal: options.signal, timeoutMs: options.timeoutMs },
    );
    return parseAptCacheSearch(r.stdout);
  }

  async candidate(
    target: SshTarget,
    name: string,
    options: PmOptions = {},
  ): Promise<PackageCandidate | null> {
    checkPackageName(name);
    const r = await runChecked(
      this.ctx(target),
      {
        argv: ['apt-cache', 'policy', name],
        what: `apt-cache policy ${name}`,
        defaultTimeoutMs: 60_000,
      },
      options,
    );
    const found = parseAptCachePolicy(r.stdout).find((p) => p.name === name);
    if (
      !found ||
      (found.candidate === null && found.installed === null && found.versions.length === 0)
    )
      return null;
    return found;
  }

  async install(
    target: SshTarget,
    request: InstallRequest,
    options: PmLongOptions = {},
  ): Promise<OperationResult> {
    const { files, names } = checkInstallRequest(request, '.deb');
    let last: OperationResult | undefined;
    if (files.length) {
      const r = await this.locked(
        target,
        {
          argv: ['dpkg', ...this.dpkgDb(), '--install', ...files],
          env: NONINTERACTIVE,
          privileged: true,
          what: `dpkg --install ${files.join(' ')}`,
          defaultTimeoutMs: 30 * 60_000,
        },
        options,
      );
      last = toOperation(r);
    }
    if (names.length) {
      const r = await runChecked(
        this.ctx(target),
        {
          argv: ['apt-get', 'install', '-y', '-q', ...this.aptLock(), ...names],
          env: NONINTERACTIVE,
          privileged: true,
          what: `apt-get install ${names.join(' ')}`,
          defaultTimeoutMs: 60 * 60_000,
        },
        options,
      );
      last = toOperation(r);
    }
    return last!;
  }

  async remove(
    target: SshTarget,
    names: readonly string[],
    options: RemoveOptions = {},
  ): Promise<OperationResult> {
    const checked = checkPackageNames(names);
    const argv = options.withDependents
      ? ['apt-get', options.purge ? 'purge' : 'remove', '-y', '-q', ...this.aptLock(), ...checked]
      : ['dpkg', ...this.dpkgDb(), options.purge ? '--purge' : '--remove', ...checked];
    const verb = options.withDependents
      ? `apt-get ${options.purge ? 'purge' : 'remove'}`
      : `dpkg ${options.purge ? '--purge' : '--remove'}`;
    const what = `${verb} ${checked.join(' ')}`;
    const r = await this.locked(
      target,
      { argv, env: NONINTERACTIVE, privileged: true, what, defaultTimeoutMs: 30 * 60_000 },
      options,
    );
    // dpkg and apt-get both exit 0 when asked to remove something that is not installed; only
    // their message tells. Nothing was removed, so that is not success.
    const notInstalled = /isn't installed|is not installed, so not removed/.test(
      `${r.stderr}\n${r.stdout}`,
    );
    if (notInstalled) {
      const line = `${r.stderr}\n${r.stdout}`
        .split('\n')
        .find((l) => /isn't installed|is not installed/.test(l))!;
      throw new AppError('not_found', `${what}: ${line.trim()}`, {
        reason: 'not_installed',
        argv: [...r.argv],
        exitCode: r.exitCode,
        stderr: r.stderr,
      });
    }
    return toOperation(r);
  }

  async verify(
    target: SshTarget,
    name?: string,
    options: PmLongOptions = {},
  ): Promise<VerifyReport> {
    if (name !== undefined) checkPackageName(name);
    const argv = ['dpkg', ...this.dpkgDb(), '--verify', ...(name ? [name] : [])];
    const r = await runRaw(
      this.ctx(target),
      { argv, defaultTimeoutMs: 30 * 60_000, captureLimit: LIST_CAPTURE },
      options,
    );
    const issues = parseVerifyOutput(r.stdout);
    // dpkg --verify exits 1 when files differ; anything else (or 1 with no findings) is a failure.
    if (r.exitCode !== 0 && !(r.exitCode === 1 && issues.length > 0)) {
      throw commandError(r, `dpkg --verify${name ? ` ${name}` : ''}`);
    }
    return { ok: issues.length === 0, issues, output: r.stdout };
  }

  async updates(target: SshTarget, options: PmLongOptions = {}): Promise<PackageUpdate[]> {
    // A simulation needs no lock and no root; it reads the lists as last refreshed.
    const r = await runChecked(
      this.ctx(target),
      {
        argv: ['apt-get', '-s', '-q', '-o', 'Debug::NoLocking=1', 'upgrade'],
        what: 'apt-get -s upgrade',
        defaultTimeoutMs: 120_000,
        captureLimit: LIST_CAPTURE,
      },
      options,
    );
    return parseAptGetSimulate(r.stdout).filter((u) => u.from !== undefined);
  }

  async refresh(target: SshTarget, options: PmLongOptions = {}): Promise<OperationResult> {
    const r = await runChecked(
      this.ctx(target),
      {
        argv: ['apt-get', 'update', '-q', ...this.aptLock()],
        env: NONINTERACTIVE,
        privileged: true,
        what: 'apt-get update',
        defaultTimeoutMs: 10 * 60_000,
      },
      options,
    );
    // apt-get update exits 0 even when some sources failed; it says so with W:/E: lines.
    if (/^(E|W): Failed to fetch/m.test(r.stderr))
      throw commandError({ ...r, exitCode: 100 }, 'apt-get update');
    return toOperation(r);
  }
}
