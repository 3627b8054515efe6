#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): wall span, sampled time, idle, and the
// top functions and files by self time.
//
//   node bench/lib/cpuprofile-summary.mjs FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
if (!file) {
  console.error('usage: cpuprofile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(64);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const dt = (prof.timeDeltas[i] ?? 0) / 1000;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
}
const short = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'nm/')
    .replace(/.*\/work\/main\//, '');
const fnKey = (n) =>
  `${n.callFrame.functionName || '(anonymous)'}  ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fileKey = (n) => {
  const u = n.callFrame.url;
  if (!u) return n.callFrame.functionName; // (program), (garbage collector), (idle), natives
  return short(u);
};
const sum = (keyOf) => {
  const m = new Map();
  for (const [id, ms] of self) {
    const k = keyOf(byId.get(id));
    m.set(k, (m.get(k) ?? 0) + ms);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};
const span = (prof.endTime - prof.startTime) / 1000;
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = sum((n) => n.callFrame.functionName).find(([k]) => k === '(idle)')?.[1] ?? 0;
console.log(
  `${file}\nspan ${span.toFixed(0)} ms, sampled ${total.toFixed(0)} ms, idle ${idle.toFixed(0)} ms, busy ${(total - idle).toFixed(0)} ms\n`,
);
console.log('self time by file:');
for (const [k, ms] of sum(fileKey).slice(0, top))
  console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${k}`);
console.log('\nself time by function:');
for (const [k, ms] of sum(fnKey).slice(0, top))
  console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${k}`);
