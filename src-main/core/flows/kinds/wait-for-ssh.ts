// Step kind `wait-for-ssh`: poll each host (`true` over SSH) with backoff until it answers or the
// time is up (a host being reinstalled, rebooted, powered on).
import { z } from 'zod';

import { DurationSchema, durationMs } from '../flow-schema';
import type { KindHost, StepKind, StepRunContext } from './kind';

export const WaitForSshParams = z
  .object({
    /** Give up on a host after this long (default 5m). */
    within: DurationSchema.default('5m'),
    /** First wait between tries (default 1s), doubled up to 30s. */
    interval: DurationSchema.default('1s'),
  })
  .strict();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

async function waitOne(
  h: KindHost,
  ctx: StepRunContext,
  withinMs: number,
  firstMs: number,
): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  let wait = firstMs;
  let tries = 0;
  ctx.hostStarted?.(h.name);
  while (!ctx.signal.aborted) {
    tries++;
    try {
      const r = await ctx.executor.exec(h.target, {
        argv: ['true'],
        signal: ctx.signal,
        timeoutMs: Math.max(1000, Math.min(15_000, deadline - Date.now())),
      });
      if (r.exitCode === 0) {
        ctx.log(`answers over SSH (try ${tries})`, { host: h.name, stream: 'info' });
        ctx.hostResult(h.name, { ok: true, summary: `up after ${tries} tries` });
        return true;
      }
    } catch (e) {
      if (tries === 1 || tries % 10 === 0) {
        ctx.log(`not yet: ${e instanceof Error ? e.message : String(e)}`, {
          host: h.name,
          stream: 'info',
        });
      }
    }
    if (Date.now() + wait > deadline) break;
    await sleep(wait, ctx.signal);
    wait = Math.min(wait * 2, 30_000);
  }
  ctx.hostResult(h.name, {
    ok: false,
    summary: ctx.signal.aborted ? 'cancelled' : `no answer after ${tries} tries`,
  });
  return false;
}

export const waitForSshKind: StepKind<z.output<typeof WaitForSshParams>> = {
  name: 'wait-for-ssh',
  summary: 'Wait until every host answers over SSH (polls with backoff).',
  params: WaitForSshParams,
  needsHosts: true,
  async run(p, ctx) {
    const within = durationMs(p.within);
    const first = durationMs(p.interval);
    const results: boolean[] = [];
    const queue = [...ctx.hosts];
    const worker = async (): Promise<void> => {
      for (let h = queue.shift(); h; h = queue.shift())
        results.push(await waitOne(h, ctx, within, first));
    };
    await Promise.all(Array.from({ length: Math.min(ctx.forks, ctx.hosts.length) }, worker));
    const up = results.filter(Boolean).length;
    return {
      ok: up === ctx.hosts.length,
      summary: `${up} of ${ctx.hosts.length} up`,
      outputs: { up },
    };
  },
};
