// API checks as a service: suites (built-in files + user suites in SQLite), runs (Keystone
// first, then the checks with a concurrency limit, optionally through SSH tunnels), results
// and history kept in SQLite. Passwords: given per run or asked through a prompt, kept in
// memory for the process only.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { AppError } from '../../shared/errors';
import type {
  CheckDef,
  CheckEvent,
  CheckRunReport,
  ChecksRun,
  KeystoneParams,
  KeystoneSummary,
  SuiteSummary,
} from '../../shared/models/checks';
import type { SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/types';
import { HttpClient } from './http';
import { KeystoneClient, KeystoneError, v3Base, type KeystoneToken } from './keystone';
import { runChecks, type TokenSource } from './runner';
import type { CheckStore } from './store';
import { expandSuite, loadSuites, summary, type SuiteFile } from './suites';
import { TunnelSet } from './tunnel';

export interface ChecksDeps {
  readonly store: CheckStore;
  readonly suitesDir: () => string;
  /** For `via`: the SSH pool and the inventory host's target. */
  readonly pool?: SshPool;
  readonly target?: (host: string) => SshTarget;
  /** Asks the person for a Keystone password (undefined: refused / no way to ask). */
  readonly askPassword?: (p: KeystoneParams, signal?: AbortSignal) => Promise<string | undefined>;
}

export interface RunCallOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: CheckEvent) => void;
  /** Checks not from a stored suite (a file given to the CLI): the name recorded with the run. */
  readonly label?: string;
}

function failedSource(err: KeystoneError): TokenSource {
  return { token: () => Promise.reject(err), invalidate: () => undefined };
}

export class ChecksService {
  #builtin: SuiteFile[] | undefined;
  readonly #passwords = new Map<string, string>();

  constructor(private readonly deps: ChecksDeps) {}

  builtin(): SuiteFile[] {
    this.#builtin ??= loadSuites(this.deps.suitesDir());
    return this.#builtin;
  }

  #find = (name: string): Pick<SuiteFile, 'name' | 'include' | 'checks'> | undefined => {
    const b = this.builtin().find((s) => s.name === name);
    if (b) return b;
    const u = this.deps.store.userSuites().find((s) => s.name === name);
    return u ? { name: u.name, include: [], checks: u.checks } : undefined;
  };

  suites(): SuiteSummary[] {
    const builtin = this.builtin().map((s) =>
      summary(s, 'builtin', expandSuite(s.name, this.#find)),
    );
    const user = this.deps.store
      .userSuites()
      .map((u) => summary({ ...u, include: [], checks: u.checks }, 'user', u.checks));
    return [...builtin, ...user];
  }

  checksOf(suite: string): CheckDef[] {
    return expandSuite(suite, this.#find);
  }

  /** The checks of a suite file (its includes name built-in or user suites). */
  checksOfFile(file: SuiteFile): CheckDef[] {
    return expandSuite(file.name, (n) => (n === file.name ? file : this.#find(n)));
  }

  save(s: {
    name: string;
    title?: string | undefined;
    description: string;
    checks: CheckDef[];
  }): SuiteSummary {
    if (this.builtin().some((b) => b.name === s.name)) {
      throw AppError.field(
        'conflict',
        'name',
        `"${s.name}" is a built-in suite; choose another name`,
      );
    }
    const ids = new Set<string>();
    for (const c of s.checks) {
      if (ids.has(c.id))
        throw AppError.field('invalid_input', 'checks', `check id "${c.id}" is used twice`);
      ids.add(c.id);
    }
    const row = {
      name: s.name,
      title: s.title ?? s.name,
      description: s.description,
      checks: s.checks,
    };
    this.deps.store.saveSuite(row);
    return summary({ ...row, include: [] }, 'user', row.checks);
  }

  history(q: { check?: string | undefined; suite?: string | undefined; limit: number }) {
    return this.deps.store.history({
      limit: q.limit,
      ...(q.check ? { check: q.check } : {}),
      ...(q.suite ? { suite: q.suite } : {}),
    });
  }

  runs(limit: number, suite?: string) {
    return this.deps.store.runs(limit, suite);
  }

  report(runId: string) {
    return this.deps.store.report(runId);
  }

  delete(name: string): { deleted: string } {
    if (!this.deps.store.deleteSuite(name))
      throw new AppError('not_found', `no user suite named "${name}"`);
    return { deleted: name };
  }

  async #password(p: KeystoneParams, signal?: AbortSignal): Promise<string> {
    const key = `${v3Base(p.url)}|${p.userDomain}|${p.user}|${p.projectDomain}|${p.project}`;
    if (p.password) {
      this.#passwords.set(key, p.password);
      return p.password;
    }
    const known = this.#passwords.get(key);
    if (known) return known;
    const asked = await this.deps.askPassword?.(p, signal);
    if (!asked)
      throw new AppError(
        'forbidden',
        `no Keystone password for ${p.user}@${p.project} (none given, none typed)`,
      );
    this.#passwords.set(key, asked);
    return asked;
  }

  async run(input: ChecksRun, o: RunCallOptions = {}): Promise<CheckRunReport> {
    const startedAt = new Date().toISOString();
    let checks = input.checks ?? this.checksOf(input.suite!);
    if (input.only?.length) {
      const missing = input.only.filter((id) => !checks.some((c) => c.id === id));
      if (missing.length)
        throw AppError.field('not_found', 'only', `no check ${missing.join(', ')} in this suite`);
      checks = checks.filter((c) => input.only!.includes(c.id));
    }
    let ca: Buffer | undefined;
    if (input.ca) {
      try {
        ca = readFileSync(input.ca);
      } catch (e) {
        throw AppError.field(
          'invalid_input',
          'ca',
          `CA file not readable: ${input.ca} (${(e as Error).message})`,
        );
      }
    }
    let tunnels: TunnelSet | undefined;
    if (input.via) {
      if (!this.deps.pool || !this.deps.target)
        throw new AppError('unavailable', 'SSH tunnels are not available here');
      const via = input.via;
      tunnels = new TunnelSet(this.deps.pool, this.deps.target(via), (remote, local) =>
        o.onEvent?.({ type: 'tunnel', via, remote, local }),
      );
    }
    const http = new HttpClient({
      ...(ca ? { ca } : {}),
      insecure: input.insecure,
      ...(tunnels ? { dial: tunnels.dial } : {}),
      maxSockets: input.concurrency,
    });
    try {
      let source: TokenSource | undefined;
      let ks: KeystoneSummary | undefined;
      if (input.keystone) {
        const p = input.keystone;
        const password = await this.#password(p, o.signal);
        const client = new KeystoneClient(http, { ...p, password });
        const t0 = performance.now();
        try {
          const tok: KeystoneToken = await client.token(o.signal);
          source = client;
          ks = {
            url: v3Base(p.url),
            user: p.user,
            project: p.project,
            ok: true,
            latencyMs: Math.round(tok.ms * 10) / 10,
            ...(tok.expiresAt ? { expiresAt: tok.expiresAt.toISOString() } : {}),
            catalog: tok.catalog.map((c) => ({
              type: c.type,
              name: c.name,
              endpoints: c.endpoints.length,
            })),
            message: `token issued in ${Math.round(tok.ms)} ms; ${tok.catalog.length} catalog services`,
          };
        } catch (e) {
          const err =
            e instanceof KeystoneError ? e : new KeystoneError('network', (e as Error).message);
          source = failedSource(err);
          ks = {
            url: v3Base(p.url),
            user: p.user,
            project: p.project,
            ok: false,
            latencyMs: Math.round((performance.now() - t0) * 10) / 10,
            catalog: [],
            cause: err.kind,
            message: err.message,
          };
        }
        o.onEvent?.({ type: 'keystone', keystone: ks });
      }
      const results = await runChecks(checks, {
        http,
        ...(source ? { keystone: source } : {}),
        iface: input.keystone?.interface ?? 'public',
        ...(input.keystone?.region ? { region: input.keystone.region } : {}),
        concurrency: input.concurrency,
        budgets: input.budgets,
        insecure: input.insecure,
        ...(input.via ? { via: input.via } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      });
      const passed = results.filter((r) => r.ok).length;
      const report: CheckRunReport = {
        runId: `chk-${randomUUID().slice(0, 8)}`,
        suite: input.suite ?? o.label ?? 'inline',
        startedAt,
        finishedAt: new Date().toISOString(),
        ok: passed === results.length && (ks?.ok ?? true),
        passed,
        failed: results.length - passed,
        insecure: input.insecure,
        ...(input.via ? { via: input.via } : {}),
        ...(ks ? { keystone: ks } : {}),
        results,
      };
      this.deps.store.saveRun(report);
      return report;
    } finally {
      http.close();
      await tunnels?.close();
    }
  }
}
