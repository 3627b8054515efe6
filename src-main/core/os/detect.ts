// OS detection: one fixed probe script run through an Executor (SSH or local), its output cut
// into marked sections and parsed. The script is a constant; nothing from a user reaches it.
import { AppError } from '../../shared/errors';
import type { Executor, SshTarget } from '../ssh/types';
import { parseKeyValueFile } from './key-value';
import type { InitSystem, OsFacts, PythonFact } from '../../shared/models/os-facts';

/** Tools whose presence matters for packages, builds and readiness (`command -v`). */
export const PROBED_TOOLS = [
  'rpm',
  'rpmbuild',
  'yum',
  'dnf',
  'dpkg',
  'dpkg-query',
  'apt-get',
  'apt-cache',
  'debsums',
  'swupd',
  'mixer',
  'puppet',
  'systemctl',
] as const;

const MARK = '@@stx-probe:';

/** The probe. Each section starts with a marker line; python sections end with `rc=N`. */
export const PROBE_SCRIPT = [
  `m() { printf '${MARK}%s\\n' "$1"; }`,
  'm os-release',
  'if [ -r /etc/os-release ]; then cat /etc/os-release; elif [ -r /usr/lib/os-release ]; then cat /usr/lib/os-release; fi',
  'm build.info',
  '[ -r /etc/build.info ] && cat /etc/build.info',
  'm redhat-release',
  '[ -r /etc/redhat-release ] && cat /etc/redhat-release',
  'm uname',
  'uname -srm',
  'm pid1',
  'cat /proc/1/comm 2>/dev/null',
  'm sbin-init',
  'readlink -f /sbin/init 2>/dev/null',
  'm systemd-booted',
  '[ -d /run/systemd/system ] && echo yes',
  'm python3',
  'python3 --version 2>&1; echo "rc=$?"',
  'm python2',
  'python2 --version 2>&1; echo "rc=$?"',
  'm python',
  'python --version 2>&1; echo "rc=$?"',
  'm tools',
  `for t in ${PROBED_TOOLS.join(' ')}; do p=$(command -v "$t" 2>/dev/null) && printf '%s\\t%s\\n' "$t" "$p"; done`,
  'm end',
  'exit 0',
].join('\n');

export type { InitSystem, OsFacts, PythonFact };

function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      if (name !== undefined) out.set(name, lines.join('\n'));
      name = line.slice(MARK.length).trim();
      lines = [];
    } else if (name !== undefined) {
      lines.push(line);
    }
  }
  if (name !== undefined) out.set(name, lines.join('\n'));
  return out;
}

function initFrom(path: string): InitSystem {
  if (/systemd/.test(path)) return 'systemd';
  if (/upstart/.test(path)) return 'upstart';
  if (/openrc/.test(path)) return 'openrc';
  if (/(^|\/)init$/.test(path)) return 'sysvinit';
  return 'unknown';
}

function pythonFact(section: string | undefined): PythonFact {
  const text = (section ?? '').trim();
  const rc = /(?:^|\n)rc=(\d+)\s*$/.exec(text);
  const output = rc ? text.slice(0, rc.index).trim() : text;
  const version = /^Python (\d+\.\d+(?:\.\d+)?\S*)/m.exec(output)?.[1];
  const present = rc?.[1] === '0' && version !== undefined;
  return present ? { present, version, output } : { present: false, output };
}

/** Parses the probe's stdout. Throws when the output is not the probe's (markers missing). */
export function parseProbe(stdout: string): OsFacts {
  const s = sections(stdout);
  if (!s.has('os-release') || !s.has('end')) {
    throw new AppError('internal', 'the OS probe printed something unexpected', {
      output: stdout.slice(0, 2000),
    });
  }
  const buildInfoText = (s.get('build.info') ?? '').trim();
  const [kernelName = '', kernelRelease = '', arch = ''] = (s.get('uname') ?? '')
    .trim()
    .split(/\s+/);
  const pid1 = (s.get('pid1') ?? '').trim();
  const sbinInit = (s.get('sbin-init') ?? '').trim() || null;
  const booted = (s.get('systemd-booted') ?? '').trim() === 'yes';
  let running: InitSystem = 'unknown';
  if (pid1 === 'systemd' || booted) running = 'systemd';
  else if (pid1 === 'init' && sbinInit) running = initFrom(sbinInit);
  else if (pid1 === 'init') running = 'sysvinit';
  else if (pid1 === 'openrc-init') running = 'openrc';
  const tools: Record<string, string> = {};
  for (const line of (s.get('tools') ?? '').split('\n')) {
    const [name, path] = line.split('\t');
    if (name && path) tools[name] = path;
  }
  const redhat = (s.get('redhat-release') ?? '').trim();
  return {
    osRelease: parseKeyValueFile(s.get('os-release') ?? ''),
    buildInfo: buildInfoText ? parseKeyValueFile(buildInfoText) : null,
    redhatRelease: redhat || null,
    kernel: { name: kernelName, release: kernelRelease },
    arch,
    init: { running, pid1, installed: sbinInit ? initFrom(sbinInit) : null, sbinInit },
    python: {
      python3: pythonFact(s.get('python3')),
      python2: pythonFact(s.get('python2')),
      python: pythonFact(s.get('python')),
    },
    tools,
    raw: stdout,
  };
}

export interface DetectOptions {
  readonly signal?: AbortSignal;
  /** Default 30 s. */
  readonly timeoutMs?: number;
}

/** Runs the probe on a host and parses what it printed. */
export async function detectOs(
  executor: Executor,
  target: SshTarget,
  options: DetectOptions = {},
): Promise<OsFacts> {
  const result = await executor.exec(target, {
    argv: ['sh', '-c', PROBE_SCRIPT, 'stx-probe'],
    env: { LC_ALL: 'C' },
    timeoutMs: options.timeoutMs ?? 30_000,
    signal: options.signal,
  });
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim() || `exit code ${result.exitCode ?? result.signal}`;
    throw new AppError('unavailable', `OS detection failed on ${target.name}: ${reason}`, {
      exitCode: result.exitCode,
      stderr: result.stderr,
    });
  }
  return parseProbe(result.stdout);
}
