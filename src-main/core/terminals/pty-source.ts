// A local shell through node-pty (loaded on first use, so a missing native build only disables
// local terminals). Output is taken as raw bytes (encoding null) so the session decodes it once.
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute } from 'node:path';

import type * as NodePtyModule from 'node-pty';
import type { IPty } from 'node-pty';

import { AppError } from '../../shared/errors';
import type { SourceEnd, SourceSize, TerminalSource } from './source';

type NodePty = typeof NodePtyModule;
let loaded: Promise<NodePty> | undefined;

export function loadNodePty(): Promise<NodePty> {
  loaded ??= import('node-pty').then(
    (m) => (m as { default?: NodePty }).default ?? m,
    (err: unknown) => {
      loaded = undefined;
      throw new AppError(
        'unavailable',
        `local terminals need the node-pty native module, which did not load: ${err instanceof Error ? err.message : String(err)}`,
      );
    },
  );
  return loaded;
}

function listedShells(): string[] {
  try {
    return readFileSync('/etc/shells', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('/'));
  } catch {
    return [];
  }
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The shell to run: the caller's choice if /etc/shells lists it (or it is $SHELL), else a default. */
export function chooseShell(requested: string | undefined, env = process.env): string {
  const listed = listedShells();
  if (requested !== undefined) {
    if (!isAbsolute(requested)) {
      throw AppError.field('invalid_input', 'target.shell', `${requested} is not an absolute path`);
    }
    if (!(listed.includes(requested) || requested === env.SHELL) || !executable(requested)) {
      throw AppError.field(
        'invalid_input',
        'target.shell',
        `${requested} is not a login shell of this machine (see /etc/shells)`,
      );
    }
    return requested;
  }
  const candidates = [env.SHELL, '/bin/bash', '/usr/bin/bash', '/bin/sh'];
  const found = candidates.find((s): s is string => !!s && isAbsolute(s) && executable(s));
  if (!found) throw new AppError('unavailable', 'no shell found on this machine');
  return found;
}

function chooseCwd(requested: string | undefined): string {
  if (requested === undefined) return homedir();
  let ok: boolean;
  try {
    ok = isAbsolute(requested) && statSync(requested).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw AppError.field('invalid_input', 'target.cwd', `${requested} is not a folder`);
  return requested;
}

/** The environment of a local shell: ours, minus what only makes sense to Electron. */
function shellEnv(term: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(ELECTRON_|VITE_|NODE_OPTIONS$|CHROME_)/.test(k)) continue;
    env[k] = v;
  }
  env.TERM = term;
  env.COLORTERM = 'truecolor';
  return env;
}

export async function openPtySource(
  size: SourceSize,
  options: { shell?: string | undefined; cwd?: string | undefined },
): Promise<{ source: TerminalSource; shell: string }> {
  const shell = chooseShell(options.shell);
  const cwd = chooseCwd(options.cwd);
  const nodePty = await loadNodePty();
  const pty = nodePty.spawn(shell, [], {
    name: size.term,
    cols: size.cols,
    rows: size.rows,
    cwd,
    env: shellEnv(size.term),
    encoding: null,
  });
  return { source: new PtySource(pty), shell: basename(shell) };
}

class PtySource implements TerminalSource {
  readonly kind = 'local' as const;
  private closedByUs = false;
  private ended = false;

  constructor(private readonly pty: IPty) {}

  onData(listener: (chunk: Buffer) => void): void {
    // With encoding null node-pty hands out Buffers (its typings say string).
    this.pty.onData((d: string | Buffer) => listener(typeof d === 'string' ? Buffer.from(d) : d));
  }

  onEnd(listener: (e: SourceEnd) => void): void {
    this.pty.onExit(({ exitCode, signal }) => {
      this.ended = true;
      if (this.closedByUs) return listener({ reason: 'closed' });
      listener({
        reason: 'exit',
        exitCode,
        ...(signal ? { signal: String(signal) } : {}),
      });
    });
  }

  write(data: string): void {
    if (!this.ended) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.pty.resize(cols, rows);
  }

  pause(): void {
    this.pty.pause();
  }

  lineModes(): Promise<{ echo: boolean; icanon: boolean } | undefined> {
    // node-pty knows the slave's name (/dev/pts/N); stty reads its termios without touching it.
    const pts = (this.pty as unknown as { ptsName?: unknown }).ptsName;
    if (this.ended || typeof pts !== 'string' || !/^\/dev\/pts\/\d+$/.test(pts)) {
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      execFile('stty', ['-a', '-F', pts], { timeout: 2000 }, (err, stdout) => {
        if (err) return resolve(undefined);
        const words = new Set(stdout.split(/[\s;]+/));
        const has = (w: string): boolean | undefined =>
          words.has(w) ? true : words.has(`-${w}`) ? false : undefined;
        const echo = has('echo');
        const icanon = has('icanon');
        resolve(echo === undefined || icanon === undefined ? undefined : { echo, icanon });
      });
    });
  }

  resume(): void {
    this.pty.resume();
  }

  close(): void {
    if (this.ended || this.closedByUs) return;
    this.closedByUs = true;
    this.pty.kill('SIGHUP');
    // A shell that ignores SIGHUP (or a child holding the pty) is ended for good.
    setTimeout(() => {
      if (!this.ended) this.pty.kill('SIGKILL');
    }, 2000).unref();
  }
}
