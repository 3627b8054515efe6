// rpm + yum/dnf: rpm for the database (query, verify, local files, dependency-safe removal),
// yum or dnf for the repositories (list available/updates, install, cascading removal).
import { AppError } from '../../shared/errors';
import type { Executor, SshTarget } from '../ssh/types';
import { checkInstallRequest, checkPackageName, checkPackageNames, checkSearchTerm } from './names';
import {
  type AvailablePackage,
  type InstallRequest,
  type OperationResult,
  type PackageCandidate,
  type PackageManager,
  type PackageRecord,
  type PackageUpdate,
  type PmLongOptions,
  type PmOptions,
  type RemoveOptions,
  type VerifyReport,
} from './package-manager';
import { parseRpmQuery, parseYumList, RPM_QUERY_FORMAT, type YumListRow } from './parse-rpm';
import { parseVerifyOutput } from './parse-verify';
import { commandError, runChecked, runRaw, toOperation, type RunContext } from './run';

export interface RpmOptions {
  /** The repository front end; null for rpm alone (search, candidate, updates then refuse). */
  readonly frontend: 'yum' | 'dnf' | null;
  readonly sudo?: boolean;
  /** rpm --root (install into another root); rpm --dbpath (another database). */
  readonly root?: string;
  readonly dbpath?: string;
  /** Extra flags for installs of local files, e.g. ['--nodeps', '--noscripts']. */
  readonly fileInstallFlags?: readonly ('--nodeps' | '--noscripts' | '--excludedocs' | '--force')[];
  /** rpm --prefix for relocatable packages installed from files. */
  readonly prefix?: string;
}

const LIST_CAPTURE = 64 * 1024 * 1024;
const NO_MATCH = /No matching Packages to list/;

export class RpmPackageManager implements PackageManager {
  readonly format = 'rpm' as const;
  readonly tool: 'yum' | 'dnf' | 'rpm';

  constructor(
    private readonly executor: Executor,
    private readonly options: RpmOptions,
  ) {
    this.tool = options.frontend ?? 'rpm';
  }

  private ctx(target: SshTarget): RunContext {
    return { executor: this.executor, target, sudo: this.options.sudo };
  }

  private db(): string[] {
    const o = this.options;
    return [...(o.root ? ['--root', o.root] : []), ...(o.dbpath ? ['--dbpath', o.dbpath] : [])];
  }

  private frontend(what: string): 'yum' | 'dnf' {
    if (!this.options.frontend) {
      throw new AppError('unavailable', `${what} needs yum or dnf, and this host has rpm only`);
    }
    return this.options.frontend;
  }

  async listInstalled(target: SshTarget, options: PmLongOptions = {}): Promise<PackageRecord[]> {
    const r = await runChecked(
      this.ctx(target),
      {
        argv: ['rpm', ...this.db(), '-qa', '--qf', RPM_QUERY_FORMAT],
        what: 'rpm -qa',
        captureLimit: LIST_CAPTURE,
        defaultTimeoutMs: 120_000,
      },
      { signal: options.signal, timeoutMs: options.timeoutMs },
    );
    if (r.truncated)
      throw new AppError('internal', 'the package list was larger than the capture limit');
    // gpg-pubkey entries are keys, not packages.
    return parseRpmQuery(r.stdout).filter((p) => p.name !== 'gpg-pubkey');
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
        argv: ['rpm', ...this.db(), '-q', '--qf', RPM_QUERY_FORMAT, name],
        defaultTimeoutMs: 30_000,
      },
      options,
    );
    if (r.exitCode === 1 && /is not installed/.test(r.stdout + r.stderr)) return null;
    if (r.exitCode !== 0) throw commandError(r, `rpm -q ${name}`);
    return parseRpmQuery(r.stdout)[0] ?? null;
  }

  /** yum/dnf list with a no-match answer read as an empty list. */
  private async list(
    target: SshTarget,
    args: string[],
    what: string,
    options: PmOptions,
  ): Promise<YumListRow[]> {
    const fe = this.frontend(what);
    const r = await runRaw(
      this.ctx(target),
      { argv: [fe, 'list', ...args], defaultTimeoutMs: 120_000, captureLimit: LIST_CAPTURE },
      options,
    );
    if (r.exitCode !== 0) {
      if (NO_MATCH.test(r.stderr + r.stdout)) return [];
      throw commandError(r, what);
    }
    return parseYumList(r.stdout);
  }

  async search(
    target: SshTarget,
    term: string,
    options: PmLongOptions = {},
  ): Promise<AvailablePackage[]> {
    checkSearchTerm(term);
    // `list available '*term*'` (a glob matched by yum/dnf themselves, no shell) has a stable,
    // documented layout; `search` output is decorated and changed between versions.
    const rows = await this.list(
      target,
      ['available', `*${term}*`],
      `${this.tool} list available *${term}*`,
      options,
    );
    return rows.map((r) => ({ name: r.name, version: r.evr, arch: r.arch, repo: r.repo }));
  }

  async candidate(
    target: SshTarget,
    name: string,
    options: PmOptions = {},
  ): Promise<PackageCandidate | null> {
    checkPackageName(name);
    const rows = (await this.list(target, [name], `${this.tool} list ${name}`, options)).filter(
      (r) => r.name === name,
    );
    if (rows.length === 0) return null;
    const installed = rows.find((r) => r.section === 'Installed Packages');
    const available = rows.filter((r) => r.section !== 'Installed Packages');
    return {
      name,
      installed: installed?.evr ?? null,
      candidate: available[available.length - 1]?.evr ?? installed?.evr ?? null,
      versions: rows.map((r) => ({ version: r.evr, sources: [r.repo] })),
    };
  }

  async install(
    target: SshTarget,
    request: InstallRequest,
    options: PmLongOptions = {},
  ): Promise<OperationResult> {
    const { files, names } = checkInstallRequest(request, '.rpm');
    let last: OperationResult | undefined;
    if (files.length) {
      const o = this.options;
      const argv = [
        'rpm',
        ...this.db(),
        '-U',
        '-v',
        ...(o.fileInstallFlags ?? []),
        ...(o.prefix ? ['--prefix', o.prefix] : []),
        ...files,
      ];
      last = toOperation(
        await runChecked(
          this.ctx(target),
          {
            argv,
            privileged: true,
            what: `rpm -U ${files.join(' ')}`,
            defaultTimeoutMs: 30 * 60_000,
          },
          options,
        ),
      );
    }
    if (names.length) {
      const fe = this.frontend('installing from repositories');
      last = toOperation(
        await runChecked(
          this.ctx(target),
          {
            argv: [fe, 'install', '-y', ...names],
            privileged: true,
            what: `${fe} install ${names.join(' ')}`,
            defaultTimeoutMs: 60 * 60_000,
          },
          options,
        ),
      );
    }
    return last!;
  }

  async remove(
    target: SshTarget,
    names: readonly string[],
    options: RemoveOptions = {},
  ): Promise<OperationResult> {
    const checked = checkPackageNames(names);
    const fe = options.withDependents ? this.frontend('removing with dependents') : undefined;
    const argv = fe ? [fe, 'remove', '-y', ...checked] : ['rpm', ...this.db(), '-e', ...checked];
    const r = await runChecked(
      this.ctx(target),
      {
        argv,
        privileged: true,
        what: `${fe ? `${fe} remove` : 'rpm -e'} ${checked.join(' ')}`,
        defaultTimeoutMs: 30 * 60_000,
      },
      options,
    );
    return toOperation(r);
  }

  async verify(
    target: SshTarget,
    name?: string,
    options: PmLongOptions = {},
  ): Promise<VerifyReport> {
    if (name !== undefined) checkPackageName(name);
    const argv = ['rpm', ...this.db(), '-V', ...(name ? [name] : ['-a'])];
    const r = await runRaw(
      this.ctx(target),
      { argv, defaultTimeoutMs: 30 * 60_000, captureLimit: LIST_CAPTURE },
      options,
    );
    const issues = parseVerifyOutput(r.stdout);
    if (r.exitCode !== 0 && !(r.exitCode === 1 && issues.length > 0)) {
      throw commandError(r, `rpm -V ${name ?? '-a'}`);
    }
    return { ok: issues.length === 0, issues, output: r.stdout };
  }

  async updates(target: SshTarget, options: PmLongOptions = {}): Promise<PackageUpdate[]> {
    const fe = this.frontend('listing updates');
    const rows = await this.list(target, ['updates'], `${fe} list updates`, options);
    return rows
      .filter((r) => r.section === 'Updated Packages' || r.section === 'Available Upgrades')
      .map((r) => ({ name: r.name, arch: r.arch, to: r.evr, repo: r.repo }));
  }

  async refresh(target: SshTarget, options: PmLongOptions = {}): Promise<OperationResult> {
    const fe = this.frontend('refreshing repositories');
    return toOperation(
      await runChecked(
        this.ctx(target),
        {
          argv: [fe, 'makecache'],
          privileged: true,
          what: `${fe} makecache`,
          defaultTimeoutMs: 10 * 60_000,
        },
        options,
      ),
    );
  }
}
