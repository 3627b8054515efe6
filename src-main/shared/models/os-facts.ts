// What the OS probe finds on a host (core/os/detect.ts fills it; the contract carries it).

export type InitSystem = 'systemd' | 'sysvinit' | 'upstart' | 'openrc' | 'unknown';

export interface PythonFact {
  readonly present: boolean;
  /** e.g. `3.11.2`, when the interpreter answered `Python X.Y[.Z]`. */
  readonly version?: string;
  /** What `--version` printed (stdout and stderr), for evidence. */
  readonly output: string;
}

export interface OsFacts {
  /** /etc/os-release (or /usr/lib/os-release) as key → value; empty when neither exists. */
  readonly osRelease: Readonly<Record<string, string>>;
  /** StarlingX's /etc/build.info, or null when the file is absent. */
  readonly buildInfo: Readonly<Record<string, string>> | null;
  /** /etc/redhat-release (e.g. "CentOS Linux release 7.9.2009 (Core)"), or null. */
  readonly redhatRelease: string | null;
  readonly kernel: { readonly name: string; readonly release: string };
  /** `uname -m`: x86_64, aarch64, … */
  readonly arch: string;
  readonly init: {
    /** What runs as PID 1, judged from /proc/1/comm and /run/systemd/system. */
    readonly running: InitSystem;
    /** /proc/1/comm as read (a container may show its entry process here). */
    readonly pid1: string;
    /** Where /sbin/init resolves to (the installed init), or null. */
    readonly installed: InitSystem | null;
    readonly sbinInit: string | null;
  };
  readonly python: {
    readonly python3: PythonFact;
    readonly python2: PythonFact;
    /** The unversioned `python` command, if any. */
    readonly python: PythonFact;
  };
  /** Tool name → path, for the tools in PROBED_TOOLS that are on PATH. */
  readonly tools: Readonly<Record<string, string>>;
  /** The probe's whole output: the evidence behind every field above. */
  readonly raw: string;
}
