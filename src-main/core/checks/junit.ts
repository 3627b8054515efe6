// A check run as JUnit XML (one testsuite, one testcase per check, failures with their cause),
// for CI systems. Escaped for XML; no token or password ever reaches a result.
import type { CheckRunReport } from '../../shared/models/checks';

function esc(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
  );
}

export function junitXml(r: CheckRunReport): string {
  const secs = (ms: number): string => (ms / 1000).toFixed(3);
  const total = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  const cases = r.results.map((c) => {
    const name = `${c.id}${c.name !== c.id ? ` — ${c.name}` : ''}`;
    const head = `    <testcase classname="${esc(`stx-lab.${r.suite}.${c.service ?? 'api'}`)}" name="${esc(name)}" time="${secs(c.latencyMs)}">`;
    const out = `      <system-out>${esc(`${c.method} ${c.url} → ${c.status ?? '-'}${c.insecure ? ' [insecure TLS]' : ''}${c.via ? ` via ${c.via}` : ''}`)}</system-out>`;
    if (c.ok) return `${head}\n${out}\n    </testcase>`;
    const fail = `      <failure type="${esc(c.cause ?? 'failed')}" message="${esc(c.message)}">${esc(c.excerpt.slice(0, 500))}</failure>`;
    return `${head}\n${fail}\n${out}\n    </testcase>`;
  });
  const ks =
    r.keystone && !r.keystone.ok
      ? [
          `    <testcase classname="stx-lab.${esc(r.suite)}.keystone" name="keystone token" time="${secs(r.keystone.latencyMs)}">\n      <failure type="${esc(r.keystone.cause ?? 'auth')}" message="${esc(r.keystone.message)}"/>\n    </testcase>`,
        ]
      : [];
  const failures = r.failed + ks.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="stx-lab check" tests="${r.results.length + ks.length}" failures="${failures}" time="${total.toFixed(3)}">`,
    `  <testsuite name="${esc(r.suite)}" tests="${r.results.length + ks.length}" failures="${failures}" errors="0" timestamp="${esc(r.startedAt)}" time="${total.toFixed(3)}">`,
    ...ks,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
