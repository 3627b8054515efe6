import { describe, expect, it } from 'vitest';

import { confirmKind } from './kinds/confirm';
import { execKind } from './kinds/exec';
import { KindRegistry, type StepKind } from './kinds/kind';
import { noteKind } from './kinds/note';
import { waitForSshKind } from './kinds/wait-for-ssh';
import { parseFlow } from './parse';

const kinds = new KindRegistry();
for (const k of [execKind, noteKind, confirmKind, waitForSshKind] as StepKind[]) kinds.register(k);

const F = 'lab/flow.yaml';
const problems = (text: string): string[] => {
  const r = parseFlow(text, F, kinds);
  return r.ok ? [] : r.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);
};

const GOOD = `id: demo
title: Demo
inputs:
  target: { type: host-pattern, title: Hosts }
  retries: { type: number, default: 2 }
steps:
  - id: hello
    kind: exec
    on: \${inputs.target}
    with: { argv: [echo, hi] }
  - id: check
    kind: exec
    on: \${inputs.target}
    needs: hello
    when: \${steps.hello.outputs.stdout == 'hi'}
    with:
      script: test "\${steps.hello.outputs.stdout}" = hi
  - id: done
    kind: note
    needs: [check]
    with: { text: all good }
`;

describe('parseFlow', () => {
  it('reads a good flow: inputs, steps in dependency order, lines', () => {
    const r = parseFlow(GOOD, F, kinds);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.flow.steps.map((s) => [s.id, s.line, s.needsList])).toEqual([
      ['hello', 7, []],
      ['check', 11, ['hello']],
      ['done', 18, ['check']],
    ]);
    expect(r.flow.inputs).toEqual([
      { name: 'target', type: 'host-pattern', title: 'Hosts', description: '', required: true },
      {
        name: 'retries',
        type: 'number',
        title: 'retries',
        description: '',
        required: false,
        default: 2,
      },
    ]);
  });

  it('orders steps after what they need even when written before it', () => {
    const r = parseFlow(
      'id: o\ntitle: O\nsteps:\n  - { id: b, kind: note, needs: a }\n  - { id: a, kind: note }\n',
      F,
      kinds,
    );
    expect(r.ok && r.flow.steps.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('YAML syntax error: file, line and column', () => {
    expect(problems('id: x\ntitle: [unclosed\nsteps: []\n')[0]).toMatch(
      /^lab\/flow\.yaml:3:\d+: YAML: /,
    );
    expect(problems('id: a\nid: b\n')[0]).toMatch(/^lab\/flow\.yaml:2:1: YAML: .*[Uu]nique/);
  });

  it('unknown kind: at the kind value, naming the known kinds', () => {
    const p = problems('id: x\ntitle: X\nsteps:\n  - id: a\n    kind: reboot\n');
    expect(p).toEqual([
      'lab/flow.yaml:5:11: steps.0.kind: unknown step kind "reboot" (known: confirm, exec, note, wait-for-ssh)',
    ]);
  });

  it("bad parameter: the kind's message at the parameter's line and column", () => {
    const text =
      'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: exec\n    on: all\n    with:\n      argv: [ok]\n      envv: {}\n';
    expect(problems(text)).toEqual(['lab/flow.yaml:9:7: steps.0.with: Unrecognized key: "envv"']);
    const wrongType =
      'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: exec\n    on: all\n    with: { argv: [{ a: 1 }, two] }\n';
    expect(problems(wrongType)[0]).toMatch(
      /^lab\/flow\.yaml:7:20: steps\.0\.with\.argv\.0: .*string/,
    );
    // A number or boolean word is its text (`${inputs.n}` of a number input stays a number).
    const numbers =
      'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: exec\n    on: all\n    with: { argv: [sleep, 1] }\n';
    expect(problems(numbers)).toEqual([]);
    const refine =
      'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: exec\n    on: all\n    with: {}\n';
    expect(problems(refine)).toEqual([
      'lab/flow.yaml:7:11: steps.0.with: give either "argv" or "script"',
    ]);
  });

  it('a value computed at run time is not judged before it is known', () => {
    const text =
      'id: x\ntitle: X\ninputs: { c: { type: string } }\nsteps:\n  - id: a\n    kind: wait-for-ssh\n    on: all\n    with: { within: "${inputs.c}" }\n';
    expect(problems(text)).toEqual([]);
  });

  it('needs: unknown step and cycles', () => {
    expect(
      problems('id: x\ntitle: X\nsteps:\n  - id: a\n    kind: note\n    needs: [zz]\n'),
    ).toEqual(['lab/flow.yaml:6:13: steps.0.needs: there is no step "zz"']);
    const cycle =
      'id: x\ntitle: X\nsteps:\n  - { id: a, kind: note, needs: c }\n  - { id: b, kind: note, needs: a }\n  - { id: c, kind: note, needs: b }\n';
    expect(problems(cycle)).toEqual(['lab/flow.yaml:4:33: steps.0.needs: a cycle: a → c → b → a']);
  });

  it('schema problems: missing fields, unknown keys, steps without hosts', () => {
    expect(problems('id: x\nsteps:\n  - { id: a, kind: note }\n')[0]).toMatch(
      /^lab\/flow\.yaml:1:1: title: /,
    );
    expect(problems('id: x\ntitle: X\nsteps:\n  - id: a\n    kind: note\n    retry: 3\n')).toEqual([
      'lab/flow.yaml:6:5: steps.0: Unrecognized key: "retry"',
    ]);
    expect(
      problems('id: x\ntitle: X\nsteps:\n  - id: a\n    kind: exec\n    with: { argv: [x] }\n'),
    ).toEqual(['lab/flow.yaml:4:5: steps.0: kind "exec" needs hosts: add "on:"']);
  });

  it('expressions: syntax errors at their column, unknown inputs and steps', () => {
    const text =
      'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: note\n    with: { text: "v=${inputs.x +}" }\n';
    const p = problems(text);
    expect(p[0]).toMatch(
      /^lab\/flow\.yaml:6:34: steps\.0\.with\.text: the expression ends too early/,
    );
    expect(p).toHaveLength(1);
    const unknownInput =
      'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: note\n    with: { text: "v=${inputs.x}" }\n';
    expect(problems(unknownInput)).toEqual([
      'lab/flow.yaml:6:24: steps.0.with.text: there is no input "x"',
    ]);
    expect(
      problems(
        'id: x\ntitle: X\nsteps:\n  - id: a\n    kind: note\n    when: ${steps.b.outputs.y}\n',
      ),
    ).toEqual(['lab/flow.yaml:6:13: steps.0.when: there is no step "b"']);
  });
});
