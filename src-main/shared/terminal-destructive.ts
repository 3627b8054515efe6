// Destructive-line check for broadcast input, shared by the server (which enforces it) and the
// renderer (which shows the same verdict before sending). Pure: no platform imports.
//
// Keystrokes arrive a few at a time, so a line is only known when Enter completes it: both sides
// keep the line typed so far (`pending`) per terminal and feed every input into it. This follows
// simple line editing (backspace, Ctrl-U, Ctrl-W, Ctrl-C); it cannot see history recall or
// completion done by the shell, so it is a guard against slips, not a guarantee.
import type { DestructiveMatch } from './models/terminals';
import { KEY_SEQUENCE } from './terminal-ansi';

const MAX_PENDING = 8192;

export interface LineFeed {
  /** The line typed so far after this input. */
  readonly pending: string;
  /** Lines this input completed with Enter (in order). */
  readonly completed: readonly string[];
}

/** Feeds input (keys or paste) into the line being typed. */
export function feedLine(pending: string, data: string): LineFeed {
  let line = pending;
  const completed: string[] = [];
  // Bracketed-paste markers carry no text; other escape sequences (arrows, function keys) move
  // the cursor, which this tracker does not model: they are dropped.
  const text = data.replace(KEY_SEQUENCE, '');
  for (const ch of text) {
    if (ch === '\r' || ch === '\n') {
      if (line.length > 0 || ch === '\r') completed.push(line);
      line = '';
    } else if (ch === '\x7f' || ch === '\b') {
      line = [...line].slice(0, -1).join('');
    } else if (ch === '\x15' || ch === '\x03') {
      line = ''; // Ctrl-U kills the line, Ctrl-C abandons it
    } else if (ch === '\x17') {
      line = line.replace(/\S+\s*$/, ''); // Ctrl-W: the word before the cursor
    } else if (ch >= ' ' || ch === '\t') {
      line += ch;
    }
  }
  if (line.length > MAX_PENDING) line = line.slice(-MAX_PENDING);
  return { pending: line, completed: completed.filter((l) => l.trim().length > 0) };
}

interface Rule {
  readonly rule: string;
  readonly label: string;
  test(cmd: string, args: readonly string[]): boolean;
}

const hasFlag = (args: readonly string[], short: RegExp, long: readonly string[]): boolean =>
  args.some((a) =>
    a.startsWith('--') ? long.includes(a) : a.startsWith('-') && short.test(a.slice(1)),
  );

const RULES: readonly Rule[] = [
  {
    rule: 'rm-rf',
    label: 'recursive forced delete (rm -rf)',
    test: (cmd, args) =>
      cmd === 'rm' && hasFlag(args, /[rR]/, ['--recursive']) && hasFlag(args, /f/, ['--force']),
  },
  {
    rule: 'reboot',
    label: 'reboot',
    test: (cmd, args) =>
      cmd === 'reboot' ||
      (cmd === 'systemctl' && args.some((a) => /^(reboot|kexec|soft-reboot)$/.test(a))) ||
      ((cmd === 'init' || cmd === 'telinit') && args.includes('6')),
  },
  {
    rule: 'shutdown',
    label: 'shutdown / power off',
    test: (cmd, args) =>
      cmd === 'shutdown' ||
      cmd === 'poweroff' ||
      cmd === 'halt' ||
      (cmd === 'systemctl' && args.some((a) => /^(poweroff|halt)$/.test(a))) ||
      ((cmd === 'init' || cmd === 'telinit') && args.includes('0')),
  },
  {
    rule: 'mkfs',
    label: 'make a file system (mkfs)',
    test: (cmd) => /^mkfs(\..+)?$/.test(cmd) || /^mke2fs$|^mkswap$/.test(cmd),
  },
  {
    rule: 'dd',
    label: 'raw disk write (dd of=…)',
    test: (cmd, args) => cmd === 'dd' && args.some((a) => a.startsWith('of=')),
  },
  {
    rule: 'wipefs',
    label: 'wipe file-system signatures (wipefs)',
    test: (cmd) => cmd === 'wipefs',
  },
];

// Words that run the command after them: skip them to find the real command.
const PREFIXES = new Set([
  'sudo',
  'doas',
  'nohup',
  'time',
  'exec',
  'command',
  'builtin',
  'nice',
  'ionice',
  'env',
  'xargs',
  'busybox',
  'watch',
  'timeout',
  'stdbuf',
]);
// Prefix options that take a value (`sudo -u root`, `nice -n 5`, `timeout -s KILL`).
const VALUE_OPTS = new Set(['-u', '-g', '-h', '-p', '-n', '-C', '-s', '-k', '-c', '-U']);

function unquote(token: string): string {
  return token.replace(/^(['"])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
}

/** The command name and arguments of one simple command, prefixes skipped. */
function commandOf(segment: string): { cmd: string; args: string[] } | undefined {
  const tokens = (segment.match(/'[^']*'|"(?:\\.|[^"\\])*"|\S+/g) ?? []).map(unquote);
  let i = 0;
  for (;;) {
    while (i < tokens.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i]!)) i++;
    const word = tokens[i];
    if (word === undefined) return undefined;
    const base = word.replace(/^.*\//, '');
    if (!PREFIXES.has(base)) return { cmd: base, args: tokens.slice(i + 1) };
    i++;
    // Options of the prefix, and a leading duration for timeout.
    while (i < tokens.length && tokens[i]!.startsWith('-')) {
      i += VALUE_OPTS.has(tokens[i]!) ? 2 : 1;
    }
    if (base === 'timeout' && i < tokens.length && /^\d/.test(tokens[i]!)) i++;
  }
}

/** What makes a completed line destructive (empty when it is not). */
export function destructiveMatches(line: string): DestructiveMatch[] {
  const matches: DestructiveMatch[] = [];
  const segments = line.split(/;|&&|\|\||\||&|\$\(|`|\(|\)|\{|\}|\bthen\b|\bdo\b|\belse\b/);
  for (const segment of segments) {
    const c = commandOf(segment);
    if (!c) continue;
    for (const r of RULES) {
      if (r.test(c.cmd, c.args) && !matches.some((m) => m.rule === r.rule)) {
        matches.push({ line, rule: r.rule, label: r.label });
      }
    }
  }
  return matches;
}

export interface InputVerdict {
  /** The pending line after this input (keep it only if the input is actually sent). */
  readonly pending: string;
  readonly matches: readonly DestructiveMatch[];
}

/** The verdict for sending `data` to a terminal whose typed line so far is `pending`. */
export function inputVerdict(pending: string, data: string): InputVerdict {
  const fed = feedLine(pending, data);
  return { pending: fed.pending, matches: fed.completed.flatMap(destructiveMatches) };
}
