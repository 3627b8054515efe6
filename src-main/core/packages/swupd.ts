// swupd (Clear Linux): bundles instead of packages, one OS version for everything. Bundles map
// onto PackageRecord with the OS version as their version.
import { AppError } from '../../shared/errors';
import type { Executor, SshTarget } from '../ssh/types';
import { checkPackageName, checkPackageNames, checkSearchTerm } from './names';
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
  parseBundleList,
  parseCheckUpdate,
  parseSwupdDiagnose,
  parseSwupdInfo,
  parseSwupdSearch,
} from './parse-swupd';
import { commandError, runChecked, runRaw, toOperation, type RunContext } from './run';

export interface SwupdOptions {
  readonly sudo?: boolean;
}

export class SwupdPackageManager implements PackageManager {
  readonly format = 'swupd' as const;
  readonly tool = 'swupd' as const;

  constructor(
    private readonly executor: Executor,
    private readonly options: SwupdOptions = {},
  ) {}

  private ctx(target: SshTarget): RunContext {
    return { executor: this.executor, target, sudo: this.options.sudo };
  }

  private async osVersion(target: SshTarget, options: PmOptions): Promise<string> {
    const r = await runChecked(
      this.ctx(target),
      { argv: ['swupd', 'info'], what: 'swupd info', defaultTimeoutMs: 60_000 },
      options,
    );
    return parseSwupdInfo(r.stdout).version ?? '';
  }

  async listInstalled(target: SshTarget, options: PmLongOptions = {}): Promise<PackageRecord[]> {
    const o = { signal: options.signal, timeoutMs: options.timeoutMs };
    const version = await this.osVersion(target, o);
    const r = await runChecked(
      this.ctx(target),
      { argv: ['swupd', 'bundle-list'], what: 'swupd bundle-list', defaultTimeoutMs: 120_000 },
      o,
    );
    return parseBundleList(r.stdout).map((b) => ({
      name: b.name,
      version,
      ...(b.status ? { status: b.status } : {}),
      installed: true,
    }));
  }

  async query(
    target: SshTarget,
    name: string,
    options: PmOptions = {},
  ): Promise<PackageRecord | null> {
    checkPackageName(name);
    const found = (await this.listInstalled(target, options)).find((b) => b.name === name);
    return found ?? null;
  }

  async search(
    target: SshTarget,
    term: string,
    options: PmLongOptions = {},
  ): Promise<AvailablePackage[]> {
    checkSearchTerm(term);
    const r = await runRaw(
      this.ctx(target),
      { argv: ['swupd', 'search', term], defaultTimeoutMs: 10 * 60_000 },
      options,
    );
    const found = parseSwupdSearch(r.stdout);
    if (
      r.exitCode !== 0 &&
      found.length === 0 &&
      !/no (bundles?|results?|match)/i.test(r.stdout + r.stderr)
    ) {
      throw commandError(r, `swupd search ${term}`);
    }
    return found;
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
        argv: ['swupd', 'bundle-list', '--all', '--status'],
        what: 'swupd bundle-list --all',
        defaultTimeoutMs: 120_000,
      },
      options,
    );
    const row = parseBundleList(r.stdout).find((b) => b.name === name);
    if (!row) return null;
    const version = await this.osVersion(target, options);
    const installed = row.status !== undefined && /installed/.test(row.status);
    return {
      name,
      installed: installed ? version : null,
      candidate: version,
      versions: [{ version, sources: ['swupd'] }],
    };
  }

  async install(
    target: SshTarget,
    request: InstallRequest,
    options: PmLongOptions = {},
  ): Promise<OperationResult> {
    if (request.files?.length) {
      throw new AppError('invalid_input', 'swupd installs bundles by name, not package files', {
        fields: [{ path: 'files', message: 'not supported by swupd' }],
      });
    }
    const names = checkPackageNames(request.names ?? []);
    return toOperation(
      await runChecked(
        this.ctx(target),
        {
          argv: ['swupd', 'bundle-add', ...names],
          privileged: true,
          what: `swupd bundle-add ${names.join(' ')}`,
          defaultTimeoutMs: 60 * 60_000,
        },
        options,
      ),
    );
  }

  async remove(
    target: SshTarget,
    names: readonly string[],
    options: RemoveOptions = {},
  ): Promise<OperationResult> {
    const checked = checkPackageNames(names);
    return toOperation(
      await runChecked(
        this.ctx(target),
        {
          argv: ['swupd', 'bundle-remove', ...checked],
          privileged: true,
          what: `swupd bundle-remove ${checked.join(' ')}`,
          defaultTimeoutMs: 30 * 60_000,
        },
        options,
      ),
    );
  }

  /** swupd checks the whole OS; a bundle name narrows it with --bundles (swupd ≥ 4.x). */
  async verify(
    target: SshTarget,
    name?: string,
    options: PmLongOptions = {},
  ): Promise<VerifyReport> {
    if (name !== undefined) checkPackageName(name);
    const argv = ['swupd', 'diagnose', ...(name ? [`--bundles=${name}`] : [])];
    const r = await runRaw(
      this.ctx(target),
      { argv, privileged: true, defaultTimeoutMs: 60 * 60_000 },
      options,
    );
    const d = parseSwupdDiagnose(r.stdout);
    if (r.exitCode !== 0 && d.issues.length === 0 && d.mismatched === 0) {
      throw commandError(r, argv.join(' '));
    }
    return {
      ok: r.exitCode === 0 && d.issues.length === 0 && d.mismatched === 0,
      issues: d.issues,
      output: r.stdout,
      ...(d.inspected !== undefined ? { inspected: d.inspected } : {}),
    };
  }

  /** The whole OS is one update: reported as the pseudo-package `os`. */
  async updates(target: SshTarget, options: PmLongOptions = {}): Promise<PackageUpdate[]> {
    const r = await runRaw(
      this.ctx(target),
      { argv: ['swupd', 'check-update'], defaultTimeoutMs: 120_000 },
      options,
    );
    const u = parseCheckUpdate(r.stdout);
    if (u.available && u.latest)
      return [{ name: 'os', ...(u.current ? { from: u.current } : {}), to: u.latest }];
    if (u.current || /up.to.date/i.test(r.stdout)) return [];
    throw commandError(r, 'swupd check-update');
  }

  /** swupd has no separate metadata refresh; check-update contacts the server. */
  async refresh(target: SshTarget, options: PmLongOptions = {}): Promise<OperationResult> {
    const r = await runRaw(
      this.ctx(target),
      { argv: ['swupd', 'check-update'], defaultTimeoutMs: 120_000 },
      options,
    );
    if (!parseCheckUpdate(r.stdout).current) throw commandError(r, 'swupd check-update');
    return toOperation(r);
  }
}
