// Words and numbers of the terminal panes.
import type { TerminalEnd } from '@shared/models/terminals';

import type { SessionStatus } from '../../stores/terminals-session.svelte';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export const STATUS_LABEL: Record<SessionStatus, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  ended: 'Ended',
  lost: 'Connection lost',
  failed: 'Not connected',
};

/** "in 4 s" for a retry time. */
export function secondsUntil(at: number, now: number): string {
  return `in ${Math.max(0, Math.ceil((at - now) / 1000))} s`;
}

/** Why a session ended, in words (exit and closed; drops and errors say their own message). */
export function endMessage(end: TerminalEnd): string {
  if (end.reason === 'closed') return 'Closed';
  const how =
    end.signal !== undefined
      ? `killed by ${end.signal}`
      : end.exitCode !== undefined
        ? `exit code ${end.exitCode}`
        : end.reason;
  return `The shell ended (${how})`;
}

/** A dim line of the console's own, written into a terminal (not from the remote). */
export function consoleNote(text: string): string {
  return `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;
}

/** Largest terminals.input sent at once (the contract takes up to 1 MiB). */
export const INPUT_PART = 256 * 1024;

/** A long paste in parts, never splitting a surrogate pair. */
export function inputParts(data: string, size = INPUT_PART): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < data.length) {
    let end = Math.min(data.length, i + size);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(data.slice(i, end));
    i = end;
  }
  return parts;
}
