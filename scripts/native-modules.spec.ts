// The native add-ons the app depends on are built (or shipped) after `npm ci` and load under this
// Node: npm 11's allowScripts must list them, or their install scripts are skipped silently.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type BetterSqlite3 from 'better-sqlite3';
import type * as NodePty from 'node-pty';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
  allowScripts: Record<string, boolean>;
};
const dirOf = (name: string): string => dirname(require.resolve(`${name}/package.json`));

describe('native add-ons after npm ci', () => {
  it('better-sqlite3 loads and runs SQL', () => {
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 1 + 1 AS two').get()).toEqual({ two: 2 });
    db.close();
  });

  it("ssh2's crypto add-on is built and loads (without it ssh2 runs ~30% slower)", () => {
    const file = join(dirOf('ssh2'), 'lib/protocol/crypto/build/Release/sshcrypto.node');
    expect(existsSync(file)).toBe(true);
    const binding = require(file) as Record<string, unknown>;
    expect(typeof binding.ChaChaPolyCipher).toBe('function');
  });

  it('cpu-features is built and reports this CPU', () => {
    const features = (require('cpu-features') as () => { arch: string; flags: object })();
    expect(features.arch).toBe(process.arch === 'x64' ? 'x86' : features.arch);
    expect(typeof features.flags).toBe('object');
  });

  it('node-pty is built and runs a process in a pty (local terminals)', async () => {
    const pty = require('node-pty') as typeof NodePty;
    const term = pty.spawn('/bin/sh', ['-c', 'stty size; tty'], { cols: 91, rows: 17 });
    let out = '';
    term.onData((d) => (out += d));
    const code = await new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    expect(code).toBe(0);
    expect(out).toContain('17 91');
    expect(out).toMatch(/\/dev\/pts\/\d+/);
  });

  it('allowScripts lists every dependency with an install script we rely on', () => {
    for (const name of ['better-sqlite3', 'ssh2', 'cpu-features', 'node-pty']) {
      expect(pkg.allowScripts[name], name).toBe(true);
    }
  });
});
