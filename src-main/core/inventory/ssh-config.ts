// ~/.ssh/config import. Lines are tokenised by the ssh-config library (quotes, `=` separators);
// evaluation follows OpenSSH's readconf.c, which the library's compute() only approximates:
// first value wins (IdentityFile accumulates), Host patterns match the alias as typed (case-
// sensitive, `!` vetoes, `?` is exactly one character), Include is resolved here (relative to
// ~/.ssh, globs sorted, nested, depth limit 16, an Include in an inactive block never matches),
// Match supports all/host/originalhost/user/localuser — `exec` is NEVER run (treated as false,
// with a warning). Tokens are expanded per ssh_config(5) TOKENS. Unknown keywords are warnings.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname as localHostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { LineType, parse, type Line } from 'ssh-config';
import { AppError } from '../../shared/errors';
import { globMatch, patternListMatches } from '../ssh/known-hosts';
import { KNOWN_KEYWORDS, jumpList } from './ssh-args';

export interface SshConfigOptions {
  readonly home: string;
  /** The local user name (default remote user, %u). */
  readonly user: string;
  /** Folder relative Include paths start from (default `<home>/.ssh`). */
  readonly includeBase?: string;
  readonly uid?: number;
  readonly localHost?: string;
}

export interface ResolvedHost {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Configured IdentityFiles only, `~` and tokens expanded; empty when none configured. */
  readonly identityFiles: string[];
  readonly proxyJump: string[];
  readonly proxyCommand: string | null;
  readonly serverAliveIntervalMs: number | null;
  readonly identitiesOnly: boolean;
  readonly strictHostKeyChecking: string | null;
  readonly userKnownHostsFiles: string[];
}

export interface SshConfigWarning {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface SshConfig {
  readonly file: string;
  resolve(alias: string): ResolvedHost;
  /** Concrete Host aliases (no `*`, `?`, `!`), in order of appearance, across Includes. */
  listHosts(): string[];
  readonly warnings: readonly SshConfigWarning[];
}

type Item =
  | { kind: 'host'; patterns: string[]; file: string; line: number }
  | { kind: 'match'; args: string[]; file: string; line: number }
  | { kind: 'set'; keyword: string; args: string[]; file: string; line: number }
  | { kind: 'include'; files: Item[][]; file: string; line: number };

const MAX_DEPTH = 16;

function lineError(
  file: string,
  line: number,
  reason: string,
  code: 'invalid_input' = 'invalid_input',
): AppError {
  return new AppError(code, `${file} line ${line}: ${reason}`, { file, line, column: 1, reason });
}

function argsOf(l: Line): string[] {
  if (!('value' in l)) return [];
  const v = l.value;
  if (typeof v === 'string') return v === '' ? [] : [v];
  return v.map((x) => x.val);
}

const expandTilde = (p: string, home: string) =>
  p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;

/** glob(3)-style expansion: `*`/`?` per path segment, dot files hidden, sorted; no match → []. */
function globPaths(pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const segs = pattern.split('/');
  let bases = [segs[0] === '' ? '/' : segs[0]!];
  for (const seg of segs.slice(1)) {
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?]/.test(seg)) next.push(join(base, seg));
      else {
        let names: string[];
        try {
          names = readdirSync(base);
        } catch {
          continue;
        }
        for (const n of names.sort())
          if (!n.startsWith('.') && globMatch(seg, n, true)) next.push(join(base, n));
      }
    }
    bases = next;
  }
  return bases;
}

function readItems(
  file: string,
  opts: SshConfigOptions,
  depth: number,
  warnings: SshConfigWarning[],
): Item[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'unavailable';
    throw new AppError(code, `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  const items: Item[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    let lines: Line[];
    try {
      lines = parse(raw);
    } catch (err) {
      throw lineError(file, line, (err as Error).message);
    }
    for (const l of lines) {
      if (l.type !== LineType.DIRECTIVE) continue;
      const keyword = l.param.toLowerCase();
      const args = argsOf(l);
      if (args.length === 0) throw lineError(file, line, `${l.param} needs an argument`);
      if (keyword === 'host') items.push({ kind: 'host', patterns: args, file, line });
      else if (keyword === 'match') items.push({ kind: 'match', args, file, line });
      else if (keyword === 'include') {
        if (depth >= MAX_DEPTH)
          throw lineError(file, line, `Include nested more than ${MAX_DEPTH} deep`);
        const base = opts.includeBase ?? join(opts.home, '.ssh');
        const files: Item[][] = [];
        for (const arg of args) {
          const path = expandTilde(arg, opts.home);
          for (const f of globPaths(isAbsolute(path) ? path : join(base, path))) {
            try {
              files.push(readItems(f, opts, depth + 1, warnings));
            } catch (err) {
              if (err instanceof AppError && err.code === 'not_found' && err.details?.file === f)
                continue;
              throw err;
            }
          }
        }
        items.push({ kind: 'include', files, file, line });
      } else {
        if (!KNOWN_KEYWORDS.has(keyword))
          warnings.push({ file, line, message: `unknown keyword ${l.param}` });
        items.push({ kind: 'set', keyword, args, file, line });
      }
    }
  });
  return items;
}

interface Setting {
  readonly args: string[];
  readonly file: string;
  readonly line: number;
}

const ACCUMULATE = new Set([
  'identityfile',
  'certificatefile',
  'localforward',
  'remoteforward',
  'dynamicforward',
]);

class Config implements SshConfig {
  readonly warnings: SshConfigWarning[] = [];
  private readonly items: Item[];

  constructor(
    readonly file: string,
    private readonly opts: SshConfigOptions,
  ) {
    this.items = readItems(file, opts, 0, this.warnings);
  }

  listHosts(): string[] {
    const out: string[] = [];
    const walk = (items: Item[]) => {
      for (const it of items) {
        if (it.kind === 'host')
          for (const p of it.patterns) if (!/[*?!]/.test(p) && !out.includes(p)) out.push(p);
        if (it.kind === 'include') it.files.forEach(walk);
      }
    };
    walk(this.items);
    return out;
  }

  private matchLine(
    it: Extract<Item, { kind: 'match' }>,
    alias: string,
    set: Map<string, Setting>,
  ): boolean {
    const args = [...it.args];
    let result = true;
    while (args.length) {
      const raw = args.shift()!;
      const neg = raw.startsWith('!');
      const crit = (neg ? raw.slice(1) : raw).toLowerCase();
      if (crit === 'all') continue;
      if (crit === 'canonical' || crit === 'final') {
        this.warnings.push({
          file: it.file,
          line: it.line,
          message: `Match ${crit} is not supported; treated as false`,
        });
        result = false;
        continue;
      }
      const arg = args.shift();
      if (arg === undefined) throw lineError(it.file, it.line, `Match ${crit} needs an argument`);
      const list = arg.split(',');
      let ok: boolean;
      const hostName = set.get('hostname')?.args[0] ?? alias;
      const user = set.get('user')?.args[0] ?? this.opts.user;
      if (crit === 'host') ok = patternListMatches(list, hostName);
      else if (crit === 'originalhost') ok = patternListMatches(list, alias);
      else if (crit === 'user') ok = patternListMatches(list, user, true);
      else if (crit === 'localuser') ok = patternListMatches(list, this.opts.user, true);
      else if (['exec', 'localnetwork', 'tagged'].includes(crit)) {
        this.warnings.push({
          file: it.file,
          line: it.line,
          message: `Match ${crit} is not evaluated; treated as false`,
        });
        ok = false;
      } else throw lineError(it.file, it.line, `unsupported Match criterion "${crit}"`);
      if (neg ? ok : !ok) result = false;
    }
    return result;
  }

  private collect(alias: string): Map<string, Setting> {
    const set = new Map<string, Setting>();
    const walk = (items: Item[], startActive: boolean, neverMatch: boolean) => {
      let active = startActive;
      for (const it of items) {
        if (it.kind === 'host')
          active = !neverMatch && patternListMatches(it.patterns, alias, true);
        else if (it.kind === 'match') active = !neverMatch && this.matchLine(it, alias, set);
        else if (it.kind === 'include')
          for (const f of it.files) walk(f, active, neverMatch || !active);
        else if (active) {
          const prev = set.get(it.keyword);
          if (ACCUMULATE.has(it.keyword)) {
            set.set(it.keyword, {
              args: [...(prev?.args ?? []), ...it.args],
              file: it.file,
              line: it.line,
            });
          } else if (!prev) set.set(it.keyword, { args: it.args, file: it.file, line: it.line });
        }
      }
    };
    walk(this.items, true, false);
    return set;
  }

  resolve(alias: string): ResolvedHost {
    const set = this.collect(alias);
    const o = this.opts;
    const one = (k: string) => set.get(k)?.args.join(' ');
    const fail = (k: string, reason: string): never => {
      const s = set.get(k);
      throw lineError(s?.file ?? this.file, s?.line ?? 0, reason);
    };
    const host = expandTokens(one('hostname') ?? alias, { h: alias, '%': '%' }, () =>
      fail('hostname', 'bad token in HostName'),
    ).toLowerCase();
    const portText = one('port') ?? '22';
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
      fail('port', `Bad port '${portText}'`);
    const port = Number(portText);
    const user = one('user') ?? o.user;
    const yesNo = (k: string): boolean => {
      const v = one(k)?.toLowerCase();
      if (v === undefined || v === 'no') return false;
      if (v === 'yes') return true;
      return fail(k, `${k}: expected yes or no, got "${v}"`);
    };
    const identitiesOnly = yesNo('identitiesonly');
    const sai = one('serveraliveinterval');
    if (sai !== undefined && !/^\d+$/.test(sai))
      fail('serveraliveinterval', `ServerAliveInterval "${sai}" is not a number of seconds`);
    const shk = one('stricthostkeychecking')?.toLowerCase() ?? null;
    if (shk !== null && !['yes', 'no', 'ask', 'accept-new', 'off'].includes(shk)) {
      fail(
        'stricthostkeychecking',
        `StrictHostKeyChecking "${shk}" is not yes, no, ask, accept-new or off`,
      );
    }
    const local = o.localHost ?? localHostname();
    const full: Record<string, string> = {
      '%': '%',
      d: o.home,
      h: host,
      n: alias,
      p: String(port),
      r: user,
      u: o.user,
      k: alias,
      l: local,
      L: local.split('.')[0] ?? local,
      i: String(o.uid ?? process.getuid?.() ?? 0),
      C: createHash('sha1').update(`${local}${host}${port}${user}`).digest('hex'),
    };
    const pathList = (k: string) =>
      (set.get(k)?.args ?? []).map((f) =>
        expandTokens(expandTilde(f, o.home), full, (t) => fail(k, `unknown token %${t} in ${k}`)),
      );
    // ProxyJump and ProxyCommand: whichever comes first wins (they exclude each other).
    const pj = set.get('proxyjump');
    const pc = set.get('proxycommand');
    const jumpFirst = pj && (!pc || pj.file !== pc.file || pj.line <= pc.line);
    const proxyTok = { '%': '%', h: host, n: alias, p: String(port), r: user };
    const proxyJump =
      jumpFirst && pj
        ? jumpList(
            expandTokens(pj.args.join(' '), proxyTok, (t) =>
              fail('proxyjump', `unknown token %${t}`),
            ),
          )
        : [];
    const proxyCommand =
      !jumpFirst && pc && pc.args.join(' ').toLowerCase() !== 'none' ? pc.args.join(' ') : null;
    return {
      alias,
      host,
      port,
      user,
      identityFiles: pathList('identityfile'),
      proxyJump,
      proxyCommand,
      serverAliveIntervalMs: sai === undefined ? null : Number(sai) * 1000,
      identitiesOnly,
      strictHostKeyChecking: shk,
      userKnownHostsFiles: pathList('userknownhostsfile').flatMap((x) => x.split(/\s+/)),
    };
  }
}

/** `%x` tokens; `onUnknown` is called (and must throw) for a token not in `tokens`. */
export function expandTokens(
  value: string,
  tokens: Record<string, string>,
  onUnknown: (t: string) => never,
): string {
  return value.replace(/%(.?)/g, (_m, t: string) => {
    const v = tokens[t];
    return v === undefined ? onUnknown(t) : v;
  });
}

/** Reads an ssh_config file (and its Includes). Errors name the file and line. */
export function loadSshConfig(file: string, options: SshConfigOptions): SshConfig {
  return new Config(file, options);
}
