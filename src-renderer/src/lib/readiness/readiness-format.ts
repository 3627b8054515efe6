// Words, marks and exports of the readiness matrix.
import type {
  HostReadiness,
  ReadinessMatrix,
  RuleDescriptor,
  RuleResult,
  RuleStatus,
} from '@shared/models/readiness';

export const STATUS_MARK: Record<RuleStatus, string> = {
  met: '✓',
  missing: '✗',
  alternative: '~',
  error: '!',
};

export const STATUS_LABEL: Record<RuleStatus, string> = {
  met: 'met',
  missing: 'missing',
  alternative: 'alternative',
  error: 'error',
};

/** The columns: the matrix's rules, or (while rows stream in) the rules of the first row. */
export function columnsOf(
  rules: readonly RuleDescriptor[],
  rows: readonly (HostReadiness | null)[],
): RuleDescriptor[] {
  if (rules.length > 0) return [...rules];
  const first = rows.find((r) => r && r.results.length > 0);
  return first ? first.results.map((r) => ({ id: r.rule, title: r.rule, why: '' })) : [];
}

/** A short column heading: `package:git` → `pkg:git`. */
export function shortRule(id: string): string {
  return id.replace(/^package:/, 'pkg:');
}

export function resultOf(row: HostReadiness | null, rule: string): RuleResult | undefined {
  return row?.results.find((r) => r.rule === rule);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function matrixJson(m: ReadinessMatrix): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** Hosts × rules as a Markdown table, then each host's verdicts and their evidence commands. */
export function matrixMarkdown(m: ReadinessMatrix): string {
  const out: string[] = ['# MultiOS readiness', ''];
  out.push(`| rule | ${m.hosts.map((h) => cell(h.host)).join(' | ')} |`);
  out.push(`|---|${m.hosts.map(() => '---').join('|')}|`);
  const os = m.hosts.map((h) => (h.error ? `! ${h.error}` : `${h.os} (${h.profile ?? '—'})`));
  out.push(`| OS | ${os.map(cell).join(' | ')} |`);
  for (const rule of m.rules) {
    const marks = m.hosts.map((h) => {
      const r = resultOf(h, rule.id);
      return r ? `${STATUS_MARK[r.status]} ${r.status}` : '—';
    });
    out.push(`| ${cell(rule.title)} | ${marks.join(' | ')} |`);
  }
  for (const h of m.hosts) {
    out.push('', `## ${h.host}`, '');
    if (h.error) {
      out.push(`Not checked: ${h.error}`);
      continue;
    }
    for (const r of h.results) {
      const title = m.rules.find((x) => x.id === r.rule)?.title ?? r.rule;
      out.push(`- **${title}**: ${STATUS_MARK[r.status]} ${r.status} — ${r.detail}`);
      for (const e of r.evidence) {
        if (e.argv.length > 0) out.push(`  - \`${e.argv.join(' ')}\``);
        else if (e.source) out.push(`  - (${e.source})`);
      }
    }
  }
  if (m.unknown.length > 0) out.push('', `Unknown in the pattern: ${m.unknown.join(', ')}`);
  return `${out.join('\n')}\n`;
}
