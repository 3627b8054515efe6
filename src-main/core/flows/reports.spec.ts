import { describe, expect, it } from 'vitest';

import type { RunDetail, RunStep } from '../../shared/models/flows';
import { escapeXml, renderReport } from './reports';

const step = (over: Partial<RunStep>): RunStep => ({
  id: 's',
  title: 'S',
  kind: 'exec',
  say: null,
  needs: [],
  status: 'succeeded',
  attempts: 1,
  startedAt: '2026-11-23T00:00:00.000Z',
  endedAt: '2026-11-23T00:00:01.500Z',
  summary: null,
  error: null,
  outputs: {},
  hosts: [],
  confirm: null,
  ...over,
});

const run: RunDetail = {
  id: 'r1',
  flowId: 'demo',
  flowTitle: 'Demo <"quoted"> & co',
  file: '/f.yaml',
  status: 'failed',
  startedAt: '2026-11-23T00:00:00.000Z',
  endedAt: '2026-11-23T00:00:03.000Z',
  durationMs: 3000,
  counts: { total: 3, succeeded: 1, failed: 1, skipped: 1, running: 0 },
  error: 'step "b" failed',
  actor: 'cli:run',
  logLines: 4,
  inputs: { pw: '••••••', host: 'node1' },
  secretInputs: ['pw'],
  forks: 10,
  lastSeq: 9,
  steps: [
    step({
      id: 'a',
      title: 'A | pipe',
      hosts: [{ host: 'n1', status: 'ok', summary: 'exit 0', startedAt: null, endedAt: null }],
    }),
    step({
      id: 'b',
      title: 'B',
      status: 'failed',
      attempts: 2,
      error: 'failed',
      hosts: [
        { host: 'n1', status: 'ok', summary: 'exit 0', startedAt: null, endedAt: null },
        { host: 'n2', status: 'failed', summary: 'exit 3 <oops>', startedAt: null, endedAt: null },
      ],
    }),
    step({
      id: 'c',
      title: 'C',
      kind: 'note',
      status: 'skipped',
      summary: 'its condition is false',
      startedAt: null,
      endedAt: null,
    }),
  ],
};

const excerpt = (s: string, host: string | null): string[] =>
  s === 'b' && host === 'n2' ? ['line 1', 'bad \u0007 <char> & more'] : [];

describe('reports', () => {
  it('JUnit: one case per step × host, failures with message and log excerpt, skipped', () => {
    const xml = renderReport(run, 'junit', excerpt).text;
    expect(xml).toContain(
      '<testsuites name="Demo &lt;&quot;quoted&quot;&gt; &amp; co" tests="4" failures="1" errors="0" skipped="1" time="3.000">',
    );
    expect(
      [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map(
        (m) => `${m[1]}|${m[2]}`,
      ),
    ).toEqual(['demo.a|a @ n1', 'demo.b|b @ n1', 'demo.b|b @ n2', 'demo.c|c']);
    expect(xml).toContain(
      '<failure message="exit 3 &lt;oops&gt;" type="exec">line 1\nbad  &lt;char&gt; &amp; more</failure>',
    );
    expect(xml).toContain('<skipped message="its condition is false"/>');
    expect(xml).toContain('time="1.500"');
    expect(escapeXml('a\u0000b\u001bc')).toBe('abc');
  });

  it('Markdown and HTML carry the same facts, escaped for each', () => {
    const md = renderReport(run, 'markdown', excerpt);
    expect(md.filename).toBe('run-r1.md');
    expect(md.text).toContain('| A \\| pipe | exec | succeeded | 1 | 1.5s |  |');
    expect(md.text).toContain('# Demo &lt;"quoted"> & co');
    expect(md.text).toContain('| pw | •••••• |');
    expect(md.text).toContain('Log of n2 (last lines):\n\n```\nline 1\n');
    const html = renderReport(run, 'html', excerpt);
    expect(html.filename).toBe('run-r1.html');
    expect(html.text).toContain('<title>Demo &lt;&quot;quoted&quot;&gt; &amp; co — r1</title>');
    expect(html.text).toContain(
      '<li>n2: <span class="failed">failed</span> — exit 3 &lt;oops&gt;</li>',
    );
    expect(html.text).not.toMatch(/<oops>|<char>|src=|href=/);
  });
});
