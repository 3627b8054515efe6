// Requests and prompts of "run one command on many hosts" and of SSH sign-in.
import { z } from 'zod';

export const ExecRunSchema = z
  .object({
    /** Host pattern: names, globs, ranges, @group, `&`, `!` (see core/inventory/patterns.ts). */
    pattern: z.string().trim().min(1, 'a host pattern is required').max(4000),
    /** The command as an argument vector; never a shell line. */
    argv: z.array(z.string().max(100_000)).min(1, 'a command is required').max(10_000),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    cwd: z.string().max(4096).optional(),
    forks: z.number().int().min(1).max(500).default(10),
    timeoutSec: z.number().positive().max(86_400).optional(),
  })
  .strict();
export type ExecRun = z.input<typeof ExecRunSchema>;

export interface PatternPreview {
  readonly hosts: readonly string[];
  readonly unknown: readonly string[];
  readonly count: number;
  readonly error?: { readonly message: string; readonly column: number };
}

export interface HostKeyPrompt {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  readonly fingerprint: string;
  /** Key types already pinned for this host (a new type is still "unknown" to OpenSSH). */
  readonly otherTypes: readonly string[];
}

export interface CredentialPrompt {
  readonly id: string;
  readonly host: string;
  readonly kind: 'password' | 'passphrase' | 'keyboard-interactive';
  readonly prompts: readonly { readonly prompt: string; readonly echo: boolean }[];
}

export const PromptAnswerSchema = z
  .object({
    id: z.string().min(1).max(64),
    /** For host keys: trust it. For credentials: the values, or null to refuse. */
    accept: z.boolean().optional(),
    values: z.array(z.string().max(4096)).max(16).nullable().optional(),
  })
  .strict();

export interface ImportReport {
  readonly file: string;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly groups: readonly string[];
  readonly warnings: readonly string[];
}

export interface RekeyReport {
  readonly removed: number;
  /** Entries in the user's or system known_hosts files that still pin an old key (never edited). */
  readonly stillPinned: readonly { readonly file: string; readonly line: number }[];
}

/** What the console knows of a host's SSH side: pinned keys and live pooled connections. */
export interface HostSshStatus {
  readonly name: string;
  readonly connections: number;
  readonly pinned: readonly {
    readonly keyType: string;
    readonly fingerprint: string;
    readonly file: string;
    readonly line: number;
  }[];
}
