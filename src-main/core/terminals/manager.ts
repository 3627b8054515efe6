// All open terminals of the app: opens them (SSH through the pool, local through node-pty),
// routes input, resize, acks and broadcast to them, records logs and audit entries.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { TERMINAL_FLOW } from '../../shared/contract-terminals';
import { AppError } from '../../shared/errors';
import type { Host } from '../../shared/models/hosts';
import type {
  BroadcastReport,
  TerminalChunk,
  TerminalEnd,
  TerminalInfo,
  TerminalTarget,
} from '../../shared/models/terminals';
import { targetsFor } from '../fanout/targets';
import type { SshPool } from '../ssh/pool';
import type { AuditEntry } from '../store/audit';
import { broadcast, type BroadcastInput } from './broadcast';
import type { Watermarks } from './flow-control';
import { LogStore } from './log-store';
import { openPtySource } from './pty-source';
import { TerminalSession } from './session';
import { SessionLog } from './session-log';
import type { TerminalSource } from './source';
import { openSshSource } from './ssh-source';

export interface TerminalLimits {
  readonly marks: Watermarks;
  readonly maxChunk: number;
  readonly flushMs: number;
  readonly maxLogFileBytes: number;
  readonly maxLogTotalBytes: number;
}

export const DEFAULT_LIMITS: TerminalLimits = {
  marks: { highWater: TERMINAL_FLOW.highWater, lowWater: TERMINAL_FLOW.lowWater },
  maxChunk: TERMINAL_FLOW.maxChunk,
  flushMs: 5,
  maxLogFileBytes: 32 * 1024 * 1024,
  maxLogTotalBytes: 512 * 1024 * 1024,
};

export interface ManagerOptions {
  readonly pool: SshPool;
  readonly hosts: () => Host[];
  readonly dataDir: string;
  readonly audit: (entry: AuditEntry) => void;
  readonly limits?: Partial<TerminalLimits>;
  readonly onChanged?: (e: {
    id: string;
    action: 'opened' | 'closed' | 'state';
    host: string;
  }) => void;
  readonly warn?: (message: string) => void;
}

export interface OpenRequest {
  readonly target: TerminalTarget;
  readonly cols: number;
  readonly rows: number;
  readonly term: string;
  readonly log: boolean;
  readonly title?: string | undefined;
}

export interface OpenContext {
  readonly signal: AbortSignal;
  readonly actor: string;
  readonly emit: (chunk: TerminalChunk) => void;
}

const stamp = (d = new Date()): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

export class TerminalManager {
  readonly logs: LogStore;
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly liveLogs = new Map<string, string>(); // terminal id → log id
  private readonly limits: TerminalLimits;

  constructor(private readonly o: ManagerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.logs = new LogStore({
      root: join(o.dataDir, 'terminal-logs'),
      live: () => new Set(this.liveLogs.values()),
      maxTotalBytes: this.limits.maxLogTotalBytes,
    });
  }

  async open(req: OpenRequest, ctx: OpenContext): Promise<TerminalEnd> {
    const id = `t-${randomBytes(6)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')}`;
    const size = { cols: req.cols, rows: req.rows, term: req.term };
    let source: TerminalSource;
    let host: string;
    let title: string;
    const t = req.target;
    const target = t.kind === 'ssh' ? this.resolve(t.host) : undefined;
    if (target && !target.local) {
      source = await openSshSource(this.o.pool, target, size, ctx.signal);
      host = target.name;
      title = req.title ?? `${target.user}@${target.name}`;
    } else {
      const opened = await openPtySource(
        size,
        t.kind === 'local' ? { shell: t.shell, cwd: t.cwd } : {},
      );
      source = opened.source;
      host = target?.name ?? 'localhost';
      title = req.title ?? `${opened.shell} (local)`;
    }
    if (ctx.signal.aborted) {
      source.close();
      return { id, reason: 'closed' };
    }

    let log: SessionLog | undefined;
    const ref: { session?: TerminalSession } = {};
    if (req.log) {
      try {
        log = new SessionLog({
          root: this.logs.root,
          host,
          stem: `${stamp()}-${id}`,
          title,
          cols: req.cols,
          rows: req.rows,
          term: req.term,
          maxFileBytes: this.limits.maxLogFileBytes,
          onError: (message) => ctx.emit({ type: 'notice', level: 'warning', message }),
          onFile: (logId) => {
            this.liveLogs.set(id, logId);
            void this.logs.enforceCap().catch((e: unknown) => this.o.warn?.(String(e)));
          },
          onDrain: () => ref.session?.logDrained(),
        });
      } catch (err) {
        ctx.emit({
          type: 'notice',
          level: 'warning',
          message: `this session is not recorded: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
    const session = new TerminalSession({
      id,
      title,
      kind: source.kind,
      host,
      cols: req.cols,
      rows: req.rows,
      source,
      log,
      marks: this.limits.marks,
      maxChunk: this.limits.maxChunk,
      flushMs: this.limits.flushMs,
      emit: ctx.emit,
      onState: () => this.o.onChanged?.({ id, action: 'state', host }),
    });
    ref.session = session;
    this.sessions.set(id, session);
    ctx.emit({
      type: 'opened',
      id,
      title,
      kind: source.kind,
      host,
      logId: log?.id ?? null,
      logPath: log ? log.path() : null,
    });
    this.audit({
      actor: ctx.actor,
      action: 'terminal.open',
      target: host,
      detail: { id, kind: source.kind, title, log: log?.id ?? null },
    });
    this.o.onChanged?.({ id, action: 'opened', host });

    const s = session;
    const onAbort = (): void => s.close();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const end = await s.ended;
    ctx.signal.removeEventListener('abort', onAbort);
    this.sessions.delete(id);
    await log?.close();
    this.liveLogs.delete(id);
    const result: TerminalEnd = { id, ...end };
    this.audit({
      actor: ctx.actor,
      action: 'terminal.close',
      target: host,
      detail: {
        id,
        reason: end.reason,
        exitCode: end.exitCode ?? null,
        bytesOut: s.info().bytesOut,
      },
    });
    this.o.onChanged?.({ id, action: 'closed', host });
    return result;
  }

  list(): TerminalInfo[] {
    return [...this.sessions.values()].map((s) => s.info());
  }

  input(id: string, data: string): number {
    return this.get(id).input(data);
  }

  resize(id: string, cols: number, rows: number): { cols: number; rows: number } {
    this.get(id).resize(cols, rows);
    return { cols, rows };
  }

  ack(id: string, bytes: number): { unacked: number; paused: boolean } {
    // An ack that arrives after its terminal closed is harmless.
    const s = this.sessions.get(id);
    return s ? s.ack(bytes) : { unacked: 0, paused: false };
  }

  close(id: string): boolean {
    const s = this.sessions.get(id);
    s?.close();
    return s !== undefined;
  }

  broadcast(input: BroadcastInput, actor: string): BroadcastReport {
    const { report, entry } = broadcast(this.sessions, input, actor);
    this.audit(entry);
    return report;
  }

  /** Closes every terminal (app shutdown). */
  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    for (const s of all) s.close();
    await Promise.all(all.map((s) => s.ended));
  }

  /** Audit entries never break a terminal (e.g. the store already closed at shutdown). */
  private audit(entry: AuditEntry): void {
    try {
      this.o.audit(entry);
    } catch (err) {
      this.o.warn?.(`audit entry ${entry.action} not recorded: ${String(err)}`);
    }
  }

  private get(id: string): TerminalSession {
    const s = this.sessions.get(id);
    if (!s || s.closed) throw new AppError('not_found', `there is no open terminal ${id}`);
    return s;
  }

  private resolve(name: string): ReturnType<typeof targetsFor>[number] {
    const hosts = this.o.hosts();
    if (!hosts.some((h) => h.name === name)) {
      throw AppError.field('not_found', 'target.host', `there is no host named "${name}"`);
    }
    return targetsFor([name], hosts)[0]!;
  }
}
