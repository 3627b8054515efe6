// How `stx-lab exec` prints: a line per host as it finishes, then the output groups (each odd
// group as a diff against the majority), then the one summary line. Or one JSON document.
import { formatUnified } from '../core/fanout/line-diff';
import type { ExecReport, HostResult } from '../shared/models/fanout';

export function hostLine(r: HostResult): string {
  const mark = r.state === 'ok' ? '✓' : '✗';
  const took = `${r.durationMs} ms`;
  if (r.state === 'ok' || r.state === 'failed') {
    const how = r.signal ? `signal ${r.signal}` : `exit ${r.exitCode ?? '?'}`;
    return `${mark} ${r.host}  ${how}  ${took}`;
  }
  const kind = r.errorKind && r.errorKind !== 'other' ? r.errorKind : r.state;
  return `${mark} ${r.host}  ${kind}: ${r.error ?? r.state}  ${took}`;
}

function indent(text: string): string {
  return text.replace(/\n$/, '').replace(/^/gm, '  ');
}

export function formatReport(report: ExecReport): string {
  const out: string[] = [];
  const majority = report.majority === null ? undefined : report.groups[report.majority];
  for (const g of report.groups) {
    const n = g.hosts.length;
    const how = g.signal ? `signal ${g.signal}` : `exit ${g.exitCode ?? '?'}`;
    const label = g.isMajority ? (report.tied ? 'no clear majority' : 'majority') : 'differs';
    out.push(`── ${n} host${n === 1 ? '' : 's'} (${how}, ${label}): ${g.hosts.join(', ')}`);
    if (g.isMajority || !g.diff || !majority) {
      if (g.stdout) out.push(indent(g.stdout));
      if (g.stderr) out.push(indent(`stderr:\n${g.stderr}`));
    } else {
      const first = majority.hosts[0] ?? 'majority';
      const diff = formatUnified(g.diff.stdout, first, g.hosts[0] ?? 'host');
      out.push(indent(diff || '(same stdout)'));
      if (g.diff.stderr)
        out.push(indent(formatUnified(g.diff.stderr, `${first} stderr`, 'stderr')));
    }
  }
  const unreachable = report.hosts.filter((h) => h.state !== 'ok' && h.state !== 'failed');
  for (const h of unreachable) out.push(hostLine(h));
  if (report.unknown.length) out.push(`no host matched: ${report.unknown.join(', ')}`);
  out.push(report.summary.line);
  return out.join('\n');
}

export function jsonReport(report: ExecReport): string {
  return JSON.stringify(
    {
      hosts: report.hosts.map((h) => ({
        host: h.host,
        exitCode: h.exitCode,
        signal: h.signal,
        stdout: h.stdout,
        stderr: h.stderr,
        durationMs: h.durationMs,
        error: h.error,
        state: h.state,
      })),
      summary: report.summary.line,
      counts: report.summary.counts,
      exitStatus: report.exitStatus,
    },
    null,
    2,
  );
}
