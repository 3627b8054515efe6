// Step kind `exec`: one command on the step's hosts through the fan-out core (per-host results,
// output lines streamed into the run's log). The command is argv, quoted by core/ssh/quote.ts;
// `script` runs as `sh -c SCRIPT` (still one argv word).
import { z } from 'zod';

import { runFanout } from '../../fanout/fanout';
import type { StepKind } from './kind';
import { LineSplitter } from './lines';

export const ExecParams = z
  .object({
    /** The command as words, e.g. [systemctl, is-active, sshd]. */
    // `${inputs.n}` of a number input stays a number: a word of argv is its text.
    argv: z
      .array(
        z
          .union([z.string(), z.number(), z.boolean()], {
            error: 'each word of argv is a string (numbers and booleans are turned into text)',
          })
          .transform(String),
      )
      .min(1)
      .optional(),
    /** A shell script run with `sh -c`. */
    script: z.string().min(1).optional(),
    /** Values may be numbers or booleans (a whole `${…}` keeps its type): passed as text. */
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
        z.union([z.string(), z.number(), z.boolean()]).transform(String),
      )
      .optional(),
    cwd: z.string().min(1).optional(),
    /** Exit codes that count as success (default [0]). */
    'ok-codes': z.array(z.number().int()).min(1).optional(),
  })
  .strict()
  .refine((p) => (p.argv === undefined) !== (p.script === undefined), {
    message: 'give either "argv" or "script"',
  });
export type ExecParams = z.output<typeof ExecParams>;

const MAX_OUTPUT = 64 * 1024;
const cap = (s: string): string => (s.length > MAX_OUTPUT ? s.slice(0, MAX_OUTPUT) : s);

export const execKind: StepKind<ExecParams> = {
  name: 'exec',
  summary: 'Run a command on the hosts (argv or a sh script); per-host results, output streamed.',
  params: ExecParams,
  needsHosts: true,
  async run(p, ctx) {
    const argv = p.argv ?? ['sh', '-c', p.script as string];
    const okCodes = p['ok-codes'] ?? [0];
    const names = new Map<string, string>();
    const split = new LineSplitter((key, line) => {
      const [stream, host] = [key.slice(0, 6), key.slice(7)];
      ctx.log(line, {
        host: names.get(host) ?? host,
        stream: stream === 'stderr' ? 'stderr' : 'stdout',
      });
    });
    const result = await runFanout({
      targets: ctx.hosts.map((h) => h.target),
      command: { argv, ...(p.env ? { env: p.env } : {}), ...(p.cwd ? { cwd: p.cwd } : {}) },
      executor: ctx.executor,
      forks: ctx.forks,
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.type === 'host-started') ctx.hostStarted?.(e.host);
        else if (e.type === 'output') split.push(`${e.stream}:${e.host}`, e.text);
        else if (e.type === 'host-finished') {
          split.end(`stdout:${e.host}`);
          split.end(`stderr:${e.host}`);
          const r = e.result;
          const ok =
            r.state === 'ok' ||
            (r.state === 'failed' && r.exitCode !== null && okCodes.includes(r.exitCode));
          const summary =
            r.error ??
            (r.exitCode !== null
              ? `exit ${r.exitCode}`
              : r.signal
                ? `signal ${r.signal}`
                : r.state);
          ctx.hostResult(e.host, { ok, summary });
        }
      },
    });
    split.end();
    const ok = (h: (typeof result.hosts)[number]): boolean =>
      h.state === 'ok' ||
      (h.state === 'failed' && h.exitCode !== null && okCodes.includes(h.exitCode));
    const good = result.hosts.filter(ok).map((h) => h.host);
    const bad = result.hosts.filter((h) => !ok(h)).map((h) => h.host);
    const first = result.hosts[0];
    const byHost: Record<string, unknown> = {};
    for (const h of result.hosts) {
      byHost[h.host] = { exitCode: h.exitCode, stdout: cap(h.stdout.trim()), state: h.state };
    }
    return {
      ok: bad.length === 0 && !result.cancelled,
      summary: `${good.length} ok${bad.length ? ` · ${bad.length} failed (${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''})` : ''}`,
      outputs: {
        stdout: cap(first?.stdout.trim() ?? ''),
        exitCode: first?.exitCode ?? null,
        ok: good,
        failed: bad,
        hosts: byHost,
      },
    };
  },
};
