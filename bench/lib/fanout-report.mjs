// The report of bench/ssh-fanout.mjs: the table of cases with the targets beside them, and
// the target verdicts, each ratio taken between two rows of the same run.
import { cpus } from 'node:os';

import { fmtMs, fmtRatio, median, table } from './measure.mjs';

/**
 * @param {Map<string, {id: string, label: string, runs: {ms: number, ok: number}[]}>} cases
 * @param {{ N: number, opts: {runs: number, slowRuns: number, json: boolean}, notes: string[] }} ctx
 */
export function report(cases, { N, opts, notes }) {
  const med = (id) => (cases.has(id) ? median(cases.get(id).runs.map((r) => r.ms)) : NaN);
  const targets = [];
  const ratioTarget = (label, num, den, limit, dir) => {
    const a = med(num);
    const b = med(den);
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      targets.push({ label, figure: '—', target: '', verdict: 'not measured' });
      return;
    }
    const incomplete = [num, den].filter((id) => cases.get(id).runs.some((x) => x.ok < N));
    if (incomplete.length) {
      targets.push({
        label,
        figure: '—',
        target: '',
        verdict: `not comparable: hosts failed in ${incomplete.join(', ')}`,
      });
      return;
    }
    const r = dir === 'le' ? a / b : b / a;
    const met = dir === 'le' ? r <= limit : r >= limit;
    targets.push({
      label,
      figure:
        dir === 'le'
          ? `${fmtRatio(r)} (${fmtMs(a)} / ${fmtMs(b)})`
          : `${r.toFixed(1)}× faster (${fmtMs(b)} / ${fmtMs(a)})`,
      target: dir === 'le' ? `≤ ${limit}×` : `≥ ${limit}× faster`,
      verdict: met ? 'MET' : 'MISSED',
    });
  };
  ratioTarget('stx-lab cold vs parallel-ssh', 'stx-cold', 'pssh', 0.5, 'le');
  ratioTarget('stx-lab cold vs ansible cold', 'stx-cold', 'ansible-cold', 20, 'ge');
  ratioTarget('warm pool fan-out vs OpenSSH ControlMaster', 'warm', 'cm', 0.75, 'le');

  const targetBeside = {
    'stx-cold': () =>
      `≤ 0.5× pssh = ${fmtMs(med('pssh') * 0.5)}; ≤ ansible cold / 20 = ${fmtMs(med('ansible-cold') / 20)}`,
    warm: () => `≤ 0.75× ControlMaster = ${fmtMs(med('cm') * 0.75)}`,
  };
  const rows = [['case', 'median', 'min', 'max', 'runs', 'hosts ok', 'target']];
  for (const c of cases.values()) {
    const ms = c.runs.map((r) => r.ms);
    const okMin = Math.min(...c.runs.map((r) => r.ok));
    rows.push([
      c.label,
      fmtMs(median(ms)),
      fmtMs(Math.min(...ms)),
      fmtMs(Math.max(...ms)),
      ms.length,
      `${okMin}/${N}`,
      targetBeside[c.id]?.() ?? '',
    ]);
  }

  if (opts.json) {
    console.log(
      JSON.stringify(
        { hosts: N, cpus: cpus().length, cases: [...cases.values()], targets, notes },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `\nSSH fan-out: ${N} sshd on 127.0.0.1, \`hostname\` on all, ${cpus().length} CPUs, node ${process.version}`,
    );
    console.log(
      `(medians; fast cases ${opts.runs} runs after one warm-up, slow cases ${opts.slowRuns} runs)\n`,
    );
    console.log(table(rows));
    console.log('');
    console.log(
      table([
        ['target', 'figure', 'wanted', 'verdict'],
        ...targets.map((t) => [t.label, t.figure, t.target, t.verdict]),
      ]),
    );
    if (notes.length) console.log(`\nnotes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);
  }
}
