// Reading what Chromium recorded for bench/terminal-throughput.mjs: a trace's longest tasks on
// the page's main thread (wall and thread CPU time), a V8 CPU profile's self time per function,
// and a process's CPU time from /proc.
import { readFileSync } from 'node:fs';

/** The page main thread's longest tasks in a Chromium trace: wall time, CPU time, what ran. */
export function longestTasks(trace, n) {
  const events = JSON.parse(trace.toString('utf8')).traceEvents ?? [];
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return { cpuMs: NaN, wallMs: NaN, maxCpuMs: NaN, top: [] };
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  // Top-level tasks only: a RunTask inside another one is not counted twice.
  const all = [];
  let end = -Infinity;
  for (const e of mine
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask')
    .sort((a, b) => a.ts - b.ts)) {
    if (e.ts < end) continue;
    all.push(e);
    end = e.ts + e.dur;
  }
  const sum = (k) => all.reduce((a, e) => a + (e[k] ?? 0), 0) / 1000;
  const tasks = all.sort((a, b) => b.dur - a.dur).slice(0, n);
  const top = tasks.map((t) => {
    const inside = new Map();
    for (const e of mine) {
      if (e === t || e.ts < t.ts || e.ts + e.dur > t.ts + t.dur) continue;
      if (
        !/^(FunctionCall|TimerFire|EventDispatch|FireAnimationFrame|Layout|UpdateLayoutTree|Paint|PrePaint|Layerize|MinorGC|MajorGC|V8\.GC.*|ParseHTML)$/.test(
          e.name,
        )
      )
        continue;
      inside.set(e.name, (inside.get(e.name) ?? 0) + e.dur);
    }
    return {
      wallMs: t.dur / 1000,
      cpuMs: t.tdur !== undefined ? t.tdur / 1000 : NaN,
      inside: [...inside.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`)
        .join(', '),
    };
  });
  const maxCpuMs = Math.max(0, ...all.map((e) => e.tdur ?? 0)) / 1000;
  return { cpuMs: sum('tdur'), wallMs: sum('dur'), maxCpuMs, top };
}

/** Self time per function in a V8 CPU profile, most first. */
export function topSelf(profile, n) {
  const dt = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++)
    dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const byFn = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    const key = `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, us]) => ({ fn, ms: us / 1000, share: total ? us / total : 0 }));
}

/** CPU time (user + system) a process has used, in ms. */
export function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
}
