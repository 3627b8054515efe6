// SFTP transfers and local forwards against real sshd.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Lab, labTarget, MapVerifier, startLab } from '../../test-support/lab-in-a-box';
import { startLocalForward } from './forward';
import { SshPool } from './pool';
import { SshFiles } from './sftp';
import { SshExecutor } from './ssh-exec';
import type { SshTarget } from './types';

let lab: Lab;
let pool: SshPool;
let files: SshFiles;
let target: SshTarget;
/** A directory the lab user owns on the remote side. */
let remoteDir: string;

beforeAll(async () => {
  lab = await startLab({ hosts: 1 });
  pool = new SshPool({
    hostVerifier: new MapVerifier(lab.hosts),
    decideUnknown: async () => false,
  });
  files = new SshFiles(pool, new SshExecutor(pool));
  target = labTarget(lab, lab.hosts[0]!);
  remoteDir = (await new SshExecutor(pool).exec(target, { argv: ['mktemp', '-d'] })).stdout.trim();
});
afterAll(async () => {
  if (remoteDir) await new SshExecutor(pool).exec(target, { argv: ['rm', '-rf', '--', remoteDir] });
  await pool?.dispose();
  await lab?.stop();
});

describe('sftp', () => {
  it('uploads and downloads a few MB with progress and matching checksums', async () => {
    const data = randomBytes(4 * 1024 * 1024 + 123);
    const local = join(lab.dir, 'payload.bin');
    writeFileSync(local, data);
    const dir = join(remoteDir, "remote dir $(x) 'q'");
    const remote = join(dir, 'payload copy.bin');
    const mk = await new SshExecutor(pool).exec(target, { argv: ['mkdir', '-p', dir] });
    expect(mk.exitCode).toBe(0);
    const progress: [number, number][] = [];
    const up = await files.upload(target, local, remote, {
      onProgress: (b, t) => progress.push([b, t]),
    });
    expect(up.bytes).toBe(data.length);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([data.length, data.length]);
    expect(readFileSync(remote).equals(data)).toBe(true);
    expect(readdirSync(dir)).toEqual(['payload copy.bin']); // the temporary name is gone

    const back = join(lab.dir, 'back.bin');
    const seen: number[] = [];
    const down = await files.download(target, remote, back, { onProgress: (b) => seen.push(b) });
    expect(down.sha256).toBe(up.sha256);
    expect(seen.at(-1)).toBe(data.length);
    expect(readFileSync(back).equals(data)).toBe(true);
  });

  it('cancel stops an upload and leaves no partial file', async () => {
    const local = join(lab.dir, 'big.bin');
    writeFileSync(local, randomBytes(32 * 1024 * 1024));
    const dir = join(remoteDir, 'cancel-dst');
    await new SshExecutor(pool).exec(target, { argv: ['mkdir', '-p', dir] });
    expect(readdirSync(dir)).toEqual([]);
    const ctl = new AbortController();
    const p = files.upload(target, local, join(dir, 'big.bin'), {
      signal: ctl.signal,
      onProgress: (b) => b > 1024 * 1024 && ctl.abort(),
    });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a missing remote file is a clear error', async () => {
    const dst = join(lab.dir, 'nothing.bin');
    await expect(files.download(target, '/nonexistent/file', dst)).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(existsSync(dst)).toBe(false);
  });
});

describe('local forward', () => {
  let http: Server;
  let httpPort = 0;
  beforeAll(async () => {
    http = createServer((req, res) => res.end(`hello from the remote side: ${req.url}`));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const a = http.address();
    httpPort = typeof a === 'object' && a ? a.port : 0;
  });
  afterAll(() => new Promise<void>((r) => http.close(() => r())));

  it('reaches a small HTTP server on the remote side, many times, then closes', async () => {
    const fwd = await startLocalForward(pool, target, {
      remoteHost: '127.0.0.1',
      remotePort: httpPort,
    });
    expect(fwd.port).toBeGreaterThan(0);
    const bodies = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        fetch(`http://127.0.0.1:${fwd.port}/r${i}`).then((r) => r.text()),
      ),
    );
    expect(bodies).toEqual(
      Array.from({ length: 15 }, (_, i) => `hello from the remote side: /r${i}`),
    );
    await fwd.close();
    await expect(fetch(`http://127.0.0.1:${fwd.port}/`)).rejects.toThrow();
  });
});
