// One try of a step's kind: its signal (run cancel + the step's timeout), and a grace period
// after an abort so a kind that does not stop cannot hold the run forever.
import type { StepKind, StepOutcome, StepRunContext } from './kinds/kind';

/** After a step's signal aborts, how long its kind may take to stop before the try ends. */
export const STOP_GRACE_MS = 5000;

export interface TryResult {
  readonly outcome: StepOutcome;
  readonly error?: string;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function stepSignal(run: AbortSignal, timeoutMs: number | undefined): AbortSignal {
  return timeoutMs === undefined ? run : AbortSignal.any([run, AbortSignal.timeout(timeoutMs)]);
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runKind(
  kind: StepKind,
  params: unknown,
  ctx: StepRunContext,
  run: AbortSignal,
  timeoutMs: number | undefined,
): Promise<TryResult> {
  const signal = ctx.signal;
  const timedOut = (): boolean => !run.aborted && signal.aborted;
  const timeoutText = `timed out after ${(timeoutMs ?? 0) / 1000}s`;
  let stopTimer: NodeJS.Timeout | undefined;
  const stopped = new Promise<TryResult>((resolve) => {
    const onAbort = (): void => {
      stopTimer = setTimeout(
        () =>
          resolve({ outcome: { ok: false, outputs: {} }, error: 'the step did not stop in time' }),
        STOP_GRACE_MS,
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const r = await Promise.race([
      kind.run(params, ctx).then((o): TryResult => ({ outcome: o })),
      stopped,
    ]);
    if (timedOut()) return { outcome: { ...r.outcome, ok: false }, error: timeoutText };
    return r;
  } catch (e) {
    return { outcome: { ok: false, outputs: {} }, error: timedOut() ? timeoutText : message(e) };
  } finally {
    clearTimeout(stopTimer);
  }
}
