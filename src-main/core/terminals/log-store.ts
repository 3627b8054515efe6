// The session logs folder: list, read, search and delete logs by id (`host/file.cast`), never by
// a path from the caller; every id is resolved inside the root and symlinks are refused. Also
// enforces the total size cap (oldest finished logs deleted first).
import { createReadStream } from 'node:fs';
import { lstat, open, readdir, realpath, unlink, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';

import { AppError } from '../../shared/errors';
import { TerminalLogIdSchema } from '../../shared/models/terminals';
import type {
  TerminalLogChunk,
  TerminalLogHit,
  TerminalLogInfo,
  TerminalLogSearchReport,
} from '../../shared/models/terminals';
import { stripAnsi } from '../../shared/terminal-ansi';

export interface LogStoreOptions {
  readonly root: string;
  /** Ids of logs being recorded now (never deleted, listed as live). */
  readonly live: () => ReadonlySet<string>;
  /** Total size of all logs; oldest finished ones are deleted beyond it. */
  readonly maxTotalBytes: number;
}

interface Header {
  readonly title?: unknown;
  readonly timestamp?: unknown;
}

export class LogStore {
  constructor(private readonly o: LogStoreOptions) {}

  get root(): string {
    return this.o.root;
  }

  async list(host?: string): Promise<TerminalLogInfo[]> {
    const live = this.o.live();
    const out: TerminalLogInfo[] = [];
    for (const file of await this.files(host)) {
      const header = await readHeader(file.path);
      const ts = typeof header.timestamp === 'number' ? header.timestamp * 1000 : file.mtimeMs;
      out.push({
        id: file.id,
        host: file.host,
        title: typeof header.title === 'string' ? header.title : file.id,
        startedAt: new Date(ts).toISOString(),
        updatedAt: new Date(file.mtimeMs).toISOString(),
        bytes: file.size,
        live: live.has(file.id),
        path: file.path,
      });
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
  }

  async read(
    id: string,
    offset: number,
    limit: number,
    format: 'text' | 'cast',
  ): Promise<TerminalLogChunk> {
    const path = await this.resolve(id);
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      let start = Math.min(offset, size);
      if (start > 0) {
        // Start at a line boundary: skip the rest of a line the offset falls into.
        const prev = Buffer.alloc(1);
        await fh.read(prev, 0, 1, start - 1);
        if (prev[0] !== 0x0a) start = await nextLineStart(fh, start, size);
      }
      let end = Math.min(size, start + limit);
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      let cut = buf.lastIndexOf(0x0a) + 1;
      let body = buf.subarray(0, cut);
      if (cut === 0 && end < size) {
        // One line longer than the limit: read it whole.
        end = await nextLineStart(fh, end, size);
        body = Buffer.alloc(end - start);
        await fh.read(body, 0, body.length, start);
        cut = body.at(-1) === 0x0a ? body.length : 0;
        body = body.subarray(0, cut);
      }
      // A line still being written (no newline yet) is left for the next read.
      const lines = body.toString('utf8');
      const content = format === 'cast' ? lines : stripAnsi(outputOf(lines));
      return { id, offset: start, nextOffset: start + cut, size, format, content };
    } finally {
      await fh.close();
    }
  }

  async search(
    query: string,
    host: string | undefined,
    limit: number,
  ): Promise<TerminalLogSearchReport> {
    const needle = query.toLowerCase();
    const hits: TerminalLogHit[] = [];
    let filesSearched = 0;
    const files = (await this.files(host)).sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const file of files) {
      if (hits.length >= limit) return { hits, filesSearched, truncated: true };
      filesSearched++;
      await searchFile(file, needle, limit - hits.length, hits);
    }
    return { hits, filesSearched, truncated: false };
  }

  async delete(id: string): Promise<string> {
    if (this.o.live().has(id)) {
      throw new AppError('conflict', `${id} is being recorded; close its terminal first`);
    }
    await unlink(await this.resolve(id));
    return id;
  }

  /** Deletes the oldest finished logs until the total is under the cap. */
  async enforceCap(): Promise<string[]> {
    const live = this.o.live();
    const files = (await this.files()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((n, f) => n + f.size, 0);
    const deleted: string[] = [];
    for (const f of files) {
      if (total <= this.o.maxTotalBytes) break;
      if (live.has(f.id)) continue;
      await unlink(f.path).catch(() => undefined);
      total -= f.size;
      deleted.push(f.id);
    }
    return deleted;
  }

  /** The file of a log id, inside the root, not a symlink. */
  async resolve(id: string): Promise<string> {
    if (!TerminalLogIdSchema.safeParse(id).success) {
      throw AppError.field('invalid_input', 'id', `"${id}" is not a log id (host/file.cast)`);
    }
    const path = join(this.o.root, id);
    const rel = relative(this.o.root, path);
    const st = await lstat(path).catch(() => undefined);
    if (!st || !st.isFile() || rel.startsWith('..') || rel.split(sep).length !== 2) {
      throw new AppError('not_found', `there is no session log ${id}`);
    }
    const real = await realpath(path);
    const rootReal = await realpath(this.o.root);
    if (relative(rootReal, real).startsWith('..')) {
      throw new AppError('forbidden', `${id} is outside the logs folder`);
    }
    return path;
  }

  private async files(
    host?: string,
  ): Promise<{ id: string; host: string; path: string; size: number; mtimeMs: number }[]> {
    const hosts = host ? [host] : await readdir(this.o.root).catch(() => [] as string[]);
    const out = [];
    for (const h of hosts) {
      const dir = join(this.o.root, h);
      const dst = await lstat(dir).catch(() => undefined);
      if (!dst?.isDirectory()) continue;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const id = `${h}/${name}`;
        if (!TerminalLogIdSchema.safeParse(id).success) continue;
        const path = join(dir, name);
        const st = await lstat(path).catch(() => undefined);
        if (!st?.isFile()) continue;
        out.push({ id, host: h, path, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
    return out;
  }
}

async function nextLineStart(fh: FileHandle, from: number, size: number): Promise<number> {
  const buf = Buffer.alloc(64 * 1024);
  for (let pos = from; pos < size; pos += buf.length) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    const i = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (i >= 0) return pos + i + 1;
  }
  return size;
}

async function readHeader(path: string): Promise<Header> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return {};
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const line = buf.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    return JSON.parse(line) as Header;
  } catch {
    return {};
  } finally {
    await fh.close();
  }
}

/** The concatenated output of asciicast event lines (headers and other events skipped). */
export function outputOf(lines: string): string {
  let out = '';
  for (const line of lines.split('\n')) {
    const ev = parseEvent(line);
    if (ev && ev[1] === 'o') out += ev[2];
  }
  return out;
}

function parseEvent(line: string): [number, string, string] | undefined {
  if (!line.startsWith('[')) return undefined;
  try {
    const ev = JSON.parse(line) as unknown;
    if (Array.isArray(ev) && typeof ev[0] === 'number' && typeof ev[2] === 'string') {
      return [ev[0], String(ev[1]), ev[2]];
    }
  } catch {
    // a line still being written
  }
  return undefined;
}

const MAX_LINE = 4096;

async function searchFile(
  file: { id: string; host: string; path: string },
  needle: string,
  room: number,
  hits: TerminalLogHit[],
): Promise<void> {
  const rl = createInterface({ input: createReadStream(file.path), crlfDelay: Infinity });
  let offset = 0;
  let line = '';
  let lineTime = 0;
  let lineOffset = 0;
  let found = 0;
  const check = (): void => {
    if (found < room && line.toLowerCase().includes(needle)) {
      found++;
      hits.push({
        id: file.id,
        host: file.host,
        time: lineTime,
        offset: lineOffset,
        excerpt: excerpt(line, needle),
      });
    }
  };
  for await (const raw of rl) {
    const at = offset;
    offset += Buffer.byteLength(raw) + 1;
    const ev = parseEvent(raw);
    if (!ev || ev[1] !== 'o') continue;
    const parts = stripAnsi(ev[2]).split('\n');
    for (const [i, part] of parts.entries()) {
      if (i > 0) {
        check();
        line = '';
      }
      if (line === '') {
        lineTime = ev[0];
        lineOffset = at;
      }
      line = (line + part).slice(-MAX_LINE);
    }
    if (found >= room) break;
  }
  check();
  rl.close();
}

function excerpt(line: string, needle: string): string {
  const i = line.toLowerCase().indexOf(needle);
  const from = Math.max(0, i - 80);
  const text = line.slice(from, from + 200).trim();
  return from > 0 ? `…${text}` : text;
}
