import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { it } from 'vitest';
import type { AppContract } from '../../shared/contract';
import { startLab } from '../../test-support/lab-in-a-box';
import { TermUnderTest } from '../../test-support/terminal-harness';
import { websocketTransport } from '../../test-support/transports';
import { createApp } from '../create-app';

it('throughput', async () => {
  const lab = await startLab({ hosts: 1 });
  const dataDir = mkdtempSync(join(tmpdir(), 'stx-tput-'));
  const kh = join(dataDir, 'kh');
  writeFileSync(kh, lab.knownHostsText());
  const app = createApp({ dataDir, face: 'web', log: { info() {}, warn() {}, error() {} }, ssh: { userKnownHosts: kh } });
  const tr = await websocketTransport(app.dispatcher);
  const c = (await tr.connect<AppContract>()).client;
  const h = lab.hosts[0]!;
  await c.call('hosts.save', { name: 'n1', address: h.host, port: h.port, user: lab.user, auth: { kind: 'key', keyPath: lab.keyPath } });
  const MB = Number(process.env.TPUT_MB ?? 40);
  const keyArgs = ['-i', lab.keyPath, '-o', `UserKnownHostsFile=${kh}`, '-o', 'BatchMode=yes', '-p', String(h.port), `${lab.user}@${h.host}`];
  for (const tt of ['', '-tt']) {
    const t0 = Date.now();
    execFileSync('sh', ['-c', `ssh ${tt} ${keyArgs.join(' ')} 'head -c ${MB}000000 /dev/zero | base64' > /dev/null`]);
    console.log(`openssh ${tt || 'no-tty'}: ${(MB * 1.35 / ((Date.now() - t0) / 1000)).toFixed(1)} MB/s`);
  }
  for (const logOn of [false]) {
    const t = new TermUnderTest(c, { target: { kind: 'ssh', host: 'n1' }, cols: 200, rows: 50, log: logOn }, 'manual');
    await t.ready;
    const iv = setInterval(() => { if (t.received > t.acked) t.ackAll(); }, 16);
    await t.type('stty -echo\r');
    await new Promise((r) => setTimeout(r, 300));
    const from = t.received;
    const t0 = Date.now();
    await t.type(`head -c ${MB}000000 /dev/zero | base64; echo EN''D\r`);
    await t.waitFor(/END/, 300_000, t.text.length);
    const secs = (Date.now() - t0) / 1000;
    clearInterval(iv);
    console.log(`ours log=${logOn}: ${((t.received - from) / 1e6 / secs).toFixed(1)} MB/s`);
    t.clear();
    await t.close();
  }
  await tr.stop(); app.close(); await lab.stop();
}, 600_000);
