// "Run one command on many hosts" as a service: pattern → hosts → targets → fan-out →
// groups, diffs, summary. The same report serves the UI, the CLI and flows.
import { AppError } from '../../shared/errors';
import type { ExecReport, FanoutEvent } from '../../shared/models/fanout';
import type { PatternPreview } from '../../shared/models/exec';
import type { Group } from '../../shared/models/hosts';
import { previewPattern, resolvePattern } from '../inventory/patterns';
import type { Executor } from '../ssh/types';
import { runFanout } from './fanout';
import { groupOutputs } from './grouping';
import { exitStatus, summarize } from './summary';
import { targetsFor, type TargetHost } from './targets';

export interface ExecRequest {
  readonly pattern: string;
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly forks?: number;
  readonly timeoutSec?: number;
}

export interface InventorySource {
  hosts(): readonly TargetHost[];
  groups(): readonly Pick<Group, 'name'>[];
}

export class ExecService {
  constructor(
    private readonly inventory: InventorySource,
    private readonly executor: Executor,
  ) {}

  #patternInventory() {
    return { hosts: this.inventory.hosts(), groups: this.inventory.groups() };
  }

  preview(pattern: string): PatternPreview {
    const p = previewPattern(pattern, this.#patternInventory());
    return {
      hosts: p.hosts,
      unknown: p.unknown,
      count: p.hosts.length,
      ...(p.error ? { error: p.error } : {}),
    };
  }

  async run(
    req: ExecRequest,
    options: { signal?: AbortSignal; onEvent?: (e: FanoutEvent) => void } = {},
  ): Promise<ExecReport> {
    const inv = this.#patternInventory();
    const resolved = resolvePattern(req.pattern, inv);
    if (resolved.error) {
      throw AppError.field(
        'invalid_input',
        'pattern',
        `${resolved.error.message} (column ${resolved.error.column})`,
      );
    }
    if (resolved.hosts.length === 0) {
      throw AppError.field('invalid_input', 'pattern', `"${req.pattern}" matches no host`);
    }
    const targets = targetsFor(resolved.hosts, inv.hosts);
    const result = await runFanout({
      targets,
      command: {
        argv: req.argv,
        ...(req.env ? { env: req.env } : {}),
        ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
      },
      executor: this.executor,
      ...(req.forks !== undefined ? { forks: req.forks } : {}),
      ...(req.timeoutSec !== undefined ? { perHostTimeoutMs: req.timeoutSec * 1000 } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    const grouping = groupOutputs(result);
    return {
      hosts: result.hosts,
      groups: grouping.groups,
      majority: grouping.majority,
      tied: grouping.tied,
      summary: summarize(result, grouping),
      unknown: resolved.unknown,
      durationMs: result.durationMs,
      cancelled: result.cancelled,
      exitStatus: exitStatus(result),
    };
  }
}
