// The seams of the SSH core, shared by the host-key checker, the connection pool, the local
// executor and fan-out. Implementations live beside this file; faces see them through the app.
import type { RemoteCommand } from './quote';

/** Where and how to reach one host, resolved from the inventory and ~/.ssh/config. */
export interface SshTarget {
  /** The inventory name (what the user sees and audit entries name). */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: SshAuth;
  /** ProxyJump chain, first hop first. */
  readonly jump: readonly SshTarget[];
  readonly keepaliveIntervalMs?: number;
  /** true for `localhost` run through child processes instead of SSH. */
  readonly local?: boolean;
}

export type SshAuth =
  | { readonly kind: 'agent'; readonly socket?: string }
  | { readonly kind: 'key'; readonly keyPath: string; readonly identitiesOnly?: boolean }
  | { readonly kind: 'password' };

export type HostKeyStatus = 'known' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyCheck {
  readonly status: HostKeyStatus;
  /** Key algorithm name as OpenSSH prints it, e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** `SHA256:…` without padding, exactly as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** For `known`, `changed` and `revoked`: the entry that decided it. */
  readonly match?: { readonly file: string; readonly line: number; readonly fingerprint: string };
}

export interface HostKeyVerifier {
  /** `host` and `port` as dialled; entries for `[host]:port` apply to non-22 ports. */
  check(host: string, port: number, keyBlob: Buffer): HostKeyCheck;
}

/**
 * Asks the person (or the CLI's --accept-new) what to do with an unknown key. Resolves true to
 * trust it (and remember it in the app's known_hosts file), false to refuse.
 */
export type UnknownKeyDecision = (
  target: SshTarget,
  check: HostKeyCheck,
  /** The key as the server sent it (to pin it when trusted). */
  keyBlob: Buffer,
) => Promise<boolean>;

/** Asks for secrets when needed: passwords, key passphrases, keyboard-interactive prompts. */
export interface CredentialPrompter {
  password(target: SshTarget): Promise<string | undefined>;
  passphrase(keyPath: string): Promise<string | undefined>;
  keyboardInteractive(
    target: SshTarget,
    prompts: readonly { readonly prompt: string; readonly echo: boolean }[],
  ): Promise<string[] | undefined>;
}

export interface ExecOptions extends RemoteCommand {
  readonly pty?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Keep at most this many bytes of each stream in the result (default 1 MiB). */
  readonly captureLimit?: number;
}

export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** true when output beyond captureLimit was dropped from stdout/stderr (not from the stream). */
  readonly truncated: boolean;
}

/** Runs commands on one kind of host: SSH (the pool) or the local machine. */
export interface Executor {
  exec(target: SshTarget, options: ExecOptions): Promise<ExecResult>;
}
