// `stx-lab compare HOST_A HOST_B [--json]`: OS facts, packages and enabled services side by
// side. Exit 0 when the hosts are the same, 1 when they differ.
import { type Command } from 'commander';

import type { HostComparison } from '../../shared/models/readiness';
import type { CliContext } from '../context';
import { hostOptions, openHostOs, type HostOsCliOptions } from './readiness';

export function comparisonText(c: HostComparison): string {
  const out: string[] = [`${c.a} vs ${c.b}`, ''];
  const w = Math.max(...c.facts.map((f) => f.field.length));
  for (const f of c.facts) {
    out.push(`${f.same ? ' ' : '≠'} ${f.field.padEnd(w)}  ${f.a}${f.same ? '' : `  |  ${f.b}`}`);
  }
  const p = c.packages;
  out.push(
    '',
    `packages: ${p.same} same, ${p.changed.length} different, ` +
      `${p.removed.length} only on ${c.a}, ${p.added.length} only on ${c.b}`,
  );
  for (const d of p.changed) out.push(`  ~ ${d.name} ${d.a} → ${d.b}`);
  for (const d of p.removed) out.push(`  - ${d.name} ${d.a} (only on ${c.a})`);
  for (const d of p.added) out.push(`  + ${d.name} ${d.b} (only on ${c.b})`);
  const s = c.services;
  out.push(
    '',
    `enabled services: ${s.both.length} on both, ${s.onlyA.length} only on ${c.a}, ` +
      `${s.onlyB.length} only on ${c.b}`,
  );
  for (const u of s.onlyA) out.push(`  - ${u} (only on ${c.a})`);
  for (const u of s.onlyB) out.push(`  + ${u} (only on ${c.b})`);
  for (const n of s.notes) out.push(`  note: ${n}`);
  out.push('', c.identical ? 'identical' : 'different');
  return out.join('\n');
}

export function register(program: Command, ctx: CliContext): void {
  hostOptions(
    program
      .command('compare')
      .description('compare two hosts: OS, packages, enabled services; exit 0 same, 1 different')
      .argument('<hostA>')
      .argument('<hostB>'),
  )
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<HostOsCliOptions>();
      const { hostOs, close } = await openHostOs(ctx, o);
      try {
        const c = await hostOs.compare(a, b);
        console.log(o.json ? JSON.stringify(c, null, 2) : comparisonText(c));
        process.exitCode = c.identical ? 0 : 1;
      } finally {
        await close();
      }
    });
}
