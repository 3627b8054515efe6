import { describe, expect, it } from 'vitest';

import type { CheckRunReport } from '../../shared/models/checks';
import { junitXml } from './junit';

describe('JUnit XML', () => {
  it('one testcase per check, failures with cause and escaped text', () => {
    const base = { method: 'GET', assertions: [], insecure: false, latencyMs: 12 };
    const r: CheckRunReport = {
      runId: 'chk-1',
      suite: 'flock',
      startedAt: '2026-11-23T00:00:00.000Z',
      finishedAt: '2026-11-23T00:00:01.500Z',
      ok: false,
      passed: 1,
      failed: 1,
      insecure: false,
      results: [
        {
          ...base,
          id: 'a',
          name: 'a',
          url: 'http://h/a',
          ok: true,
          status: 200,
          message: '200 in 12 ms',
          excerpt: '{}',
        },
        {
          ...base,
          id: 'b',
          name: 'GET <b>',
          url: 'http://h/b',
          ok: false,
          status: 500,
          cause: 'status',
          message: 'expected 200, got 500 & "more"',
          excerpt: '<html>',
        },
      ],
    };
    const xml = junitXml(r);
    expect(xml).toContain(
      '<testsuite name="flock" tests="2" failures="1" errors="0" timestamp="2026-11-23T00:00:00.000Z" time="1.500">',
    );
    expect(xml).toContain('name="b — GET &lt;b&gt;"');
    expect(xml).toContain(
      '<failure type="status" message="expected 200, got 500 &amp; &quot;more&quot;">&lt;html&gt;</failure>',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(2);
  });
});
