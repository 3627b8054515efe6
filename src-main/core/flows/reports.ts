// A run as Markdown, self-contained HTML (inline CSS, everything escaped) and JUnit XML (one
// testcase per step × host, failures with their message and a log excerpt).
import type { ReportFormat, RunDetail, RunReport, RunStep } from '../../shared/models/flows';

/** The last lines of a step's log (of one host, or of the step itself when host is null). */
export type Excerpt = (step: string, host: string | null, lines: number) => string[];

const EXCERPT_LINES = 20;

const ms = (a: string | null, b: string | null): number | null =>
  a && b ? Date.parse(b) - Date.parse(a) : null;
const secs = (n: number | null): string => (n === null ? '' : `${(n / 1000).toFixed(1)}s`);

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function escapeXml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  // eslint-disable-next-line no-control-regex
  return escapeHtml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
}

/** Text in Markdown: no raw HTML (a viewer may render it). */
const mdText = (s: string): string => s.replace(/</g, '&lt;');
const mdCell = (s: string): string => mdText(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(run: RunDetail, excerpt: Excerpt): string {
  const out: string[] = [];
  out.push(`# ${mdText(run.flowTitle)}`, '');
  out.push(`- Run: \`${run.id}\` (flow \`${run.flowId}\`)`);
  out.push(`- Status: **${run.status}**${run.error ? ` — ${mdText(run.error)}` : ''}`);
  out.push(`- Started: ${run.startedAt}${run.endedAt ? ` · ended ${run.endedAt}` : ''}`);
  out.push(`- By: ${run.actor}`);
  const inputs = Object.entries(run.inputs);
  if (inputs.length) {
    out.push('', '## Inputs', '', '| Input | Value |', '|---|---|');
    for (const [k, v] of inputs) out.push(`| ${mdCell(k)} | ${mdCell(String(v))} |`);
  }
  out.push(
    '',
    '## Steps',
    '',
    '| Step | Kind | Status | Tries | Time | Summary |',
    '|---|---|---|---|---|---|',
  );
  for (const s of run.steps) {
    out.push(
      `| ${mdCell(s.title)} | ${s.kind} | ${s.status} | ${s.attempts} | ${secs(ms(s.startedAt, s.endedAt))} | ${mdCell(s.error ?? s.summary ?? '')} |`,
    );
  }
  for (const s of run.steps) {
    if (s.hosts.length === 0 && !s.confirm && s.status !== 'failed') continue;
    out.push('', `### ${mdText(s.title)}`, '');
    if (s.say) out.push(`> ${mdText(s.say)}`, '');
    if (s.confirm) {
      out.push(
        `Confirmation: ${mdText(s.confirm.prompt)} — **${s.confirm.accepted === null ? 'not answered' : s.confirm.accepted ? 'confirmed' : 'refused'}**${s.confirm.by ? ` by ${s.confirm.by}` : ''}`,
      );
      if (s.confirm.evidence) out.push('', `Evidence: ${mdText(s.confirm.evidence)}`);
    }
    for (const h of s.hosts)
      out.push(`- ${h.host}: ${h.status}${h.summary ? ` — ${h.summary}` : ''}`);
    if (s.status === 'failed') {
      const bad = s.hosts.filter((h) => h.status !== 'ok');
      const targets = bad.length ? bad.map((h) => h.host) : [null];
      for (const host of targets) {
        const lines = excerpt(s.id, host, EXCERPT_LINES);
        if (lines.length === 0) continue;
        out.push(
          '',
          `Log${host ? ` of ${host}` : ''} (last lines):`,
          '',
          '```',
          ...lines.map((l) => l.replace(/```/g, "'''")),
          '```',
        );
      }
    }
  }
  return `${out.join('\n')}\n`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330}
h1{font-size:1.6rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccd;padding:.25rem .6rem;text-align:left;vertical-align:top}
.succeeded,.ok{color:#17663a}.failed,.cancelled,.interrupted{color:#a4161a}.skipped,.pending{color:#777}
pre{background:#f4f5f8;padding:.6rem;overflow:auto;font-size:12px}blockquote{color:#445;border-left:3px solid #99a;margin:0;padding-left:.8rem}`;

function html(run: RunDetail, excerpt: Excerpt): string {
  const e = escapeHtml;
  const rows = run.steps
    .map(
      (s) =>
        `<tr><td>${e(s.title)}</td><td>${e(s.kind)}</td><td class="${e(s.status)}">${e(s.status)}</td><td>${s.attempts}</td><td>${secs(ms(s.startedAt, s.endedAt))}</td><td>${e(s.error ?? s.summary ?? '')}</td></tr>`,
    )
    .join('\n');
  const details = run.steps
    .map((s) => {
      const parts: string[] = [`<h3>${e(s.title)}</h3>`];
      if (s.say) parts.push(`<blockquote>${e(s.say)}</blockquote>`);
      if (s.confirm) {
        parts.push(
          `<p>Confirmation: ${e(s.confirm.prompt)} — <b>${s.confirm.accepted === null ? 'not answered' : s.confirm.accepted ? 'confirmed' : 'refused'}</b>${s.confirm.evidence ? `<br>Evidence: ${e(s.confirm.evidence)}` : ''}</p>`,
        );
      }
      if (s.hosts.length) {
        parts.push(
          `<ul>${s.hosts.map((h) => `<li>${e(h.host)}: <span class="${e(h.status)}">${e(h.status)}</span>${h.summary ? ` — ${e(h.summary)}` : ''}</li>`).join('')}</ul>`,
        );
      }
      if (s.status === 'failed') {
        const bad = s.hosts.filter((h) => h.status !== 'ok');
        for (const host of bad.length ? bad.map((h) => h.host) : [null]) {
          const lines = excerpt(s.id, host, EXCERPT_LINES);
          if (lines.length) parts.push(`<pre>${e(lines.join('\n'))}</pre>`);
        }
      }
      return parts.join('\n');
    })
    .join('\n');
  const inputs = Object.entries(run.inputs)
    .map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(run.flowTitle)} — ${e(run.id)}</title>
<style>${CSS}</style></head><body>
<h1>${e(run.flowTitle)}</h1>
<p>Run <code>${e(run.id)}</code> · <span class="${e(run.status)}">${e(run.status)}</span>${run.error ? ` — ${e(run.error)}` : ''}<br>
Started ${e(run.startedAt)}${run.endedAt ? ` · ended ${e(run.endedAt)}` : ''} · by ${e(run.actor)}</p>
${inputs ? `<h2>Inputs</h2><table>${inputs}</table>` : ''}
<h2>Steps</h2>
<table><tr><th>Step</th><th>Kind</th><th>Status</th><th>Tries</th><th>Time</th><th>Summary</th></tr>
${rows}</table>
${details}
</body></html>
`;
}

function junitCases(run: RunDetail, s: RunStep, excerpt: Excerpt): string[] {
  const x = escapeXml;
  const hosts = s.hosts.length
    ? s.hosts.map((h) => ({ name: h.host, status: h.status, summary: h.summary }))
    : [null];
  return hosts.map((h) => {
    const name = h ? `${s.id} @ ${h.name}` : s.id;
    const time = (ms(s.startedAt, s.endedAt) ?? 0) / 1000;
    const head = `    <testcase classname="${x(`${run.flowId}.${s.id}`)}" name="${x(name)}" time="${time.toFixed(3)}"`;
    const failed = h
      ? h.status === 'failed' || (h.status !== 'ok' && s.status === 'failed')
      : s.status === 'failed';
    if (failed) {
      const msg = (h?.summary ?? s.error ?? 'failed').slice(0, 500);
      const log = excerpt(s.id, h?.name ?? null, EXCERPT_LINES).join('\n');
      return `${head}>\n      <failure message="${x(msg)}" type="${x(s.kind)}">${x(log)}</failure>\n    </testcase>`;
    }
    if (
      s.status === 'skipped' ||
      s.status === 'pending' ||
      s.status === 'cancelled' ||
      h?.status === 'cancelled' ||
      s.status === 'interrupted'
    ) {
      return `${head}>\n      <skipped message="${x(s.summary ?? s.status)}"/>\n    </testcase>`;
    }
    return `${head}/>`;
  });
}

function junit(run: RunDetail, excerpt: Excerpt): string {
  const cases = run.steps.flatMap((s) => junitCases(run, s, excerpt));
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const skipped = cases.filter((c) => c.includes('<skipped')).length;
  const time = (run.durationMs ?? 0) / 1000;
  const x = escapeXml;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${x(run.flowTitle)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">
  <testsuite name="${x(run.flowId)}" id="${x(run.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}" timestamp="${x(run.startedAt)}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}

export function renderReport(run: RunDetail, format: ReportFormat, excerpt: Excerpt): RunReport {
  switch (format) {
    case 'markdown':
      return { format, filename: `run-${run.id}.md`, text: markdown(run, excerpt) };
    case 'html':
      return { format, filename: `run-${run.id}.html`, text: html(run, excerpt) };
    default:
      return { format, filename: `run-${run.id}.junit.xml`, text: junit(run, excerpt) };
  }
}
