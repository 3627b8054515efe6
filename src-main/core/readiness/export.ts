// The readiness matrix as Markdown (hosts × rules, then the details and evidence per host) and
// as JSON (the matrix itself, stable key order).
import type { ReadinessMatrix, RuleStatus } from '../../shared/models/readiness';

const MARK: Record<RuleStatus, string> = {
  met: '✅ met',
  missing: '❌ missing',
  alternative: '🔁 alternative',
  error: '⚠️ error',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function readinessJson(m: ReadinessMatrix): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

export function readinessMarkdown(
  m: ReadinessMatrix,
  options: { evidence?: boolean } = {},
): string {
  const out: string[] = ['# MultiOS readiness', ''];
  out.push(`| rule | ${m.hosts.map((h) => cell(h.host)).join(' | ')} |`);
  out.push(`|---|${m.hosts.map(() => '---').join('|')}|`);
  out.push(
    `| OS | ${m.hosts.map((h) => cell(h.error ? `⚠️ ${h.error}` : `${h.os} (${h.profile ?? 'no profile'})`)).join(' | ')} |`,
  );
  for (const rule of m.rules) {
    const cells = m.hosts.map((h) => {
      const r = h.results.find((x) => x.rule === rule.id);
      return r ? MARK[r.status] : '—';
    });
    out.push(`| ${cell(rule.title)} | ${cells.join(' | ')} |`);
  }
  out.push('');
  for (const h of m.hosts) {
    out.push(`## ${h.host}`, '');
    if (h.error) {
      out.push(`Not checked: ${h.error}`, '');
      continue;
    }
    const c = h.counts;
    out.push(
      `${h.os} — profile ${h.profile ?? 'none'}; ${c.met} met, ${c.alternative} alternative, ` +
        `${c.missing} missing, ${c.error} error (${h.durationMs} ms)`,
      '',
    );
    for (const r of h.results) {
      const title = m.rules.find((x) => x.id === r.rule)?.title ?? r.rule;
      out.push(`- **${title}**: ${MARK[r.status]} — ${r.detail}`);
      if (options.evidence === false) continue;
      for (const e of r.evidence) {
        const what = e.argv.length ? `\`${e.argv.join(' ')}\`` : '';
        const from = e.source ? ` (${e.source})` : '';
        const rc = e.exitCode === null ? '' : ` → exit ${e.exitCode}`;
        out.push(`  - ${what}${from}${rc}`);
        const text = e.output.split('\n').slice(0, 8).join('\n');
        if (text.trim())
          out.push('', '    ```', ...text.split('\n').map((l) => `    ${l}`), '    ```', '');
      }
    }
    out.push('');
  }
  if (m.unknown.length) out.push(`Unknown in the pattern: ${m.unknown.join(', ')}`, '');
  return out.join('\n');
}
