// One Executor for every host: `target.local` runs through child processes, the rest over SSH.
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';

export interface RoutingExecutorParts {
  /** Runs commands on this machine (a LocalExecutor). */
  readonly local: Executor;
  /** Runs commands over SSH (the pool's executor). */
  readonly remote: Executor;
}

export class RoutingExecutor implements Executor {
  constructor(private readonly parts: RoutingExecutorParts) {}

  /** The executor a target goes to. */
  for(target: SshTarget): Executor {
    return target.local === true ? this.parts.local : this.parts.remote;
  }

  exec(target: SshTarget, options: ExecOptions): Promise<ExecResult> {
    return this.for(target).exec(target, options);
  }
}
