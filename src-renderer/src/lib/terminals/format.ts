// Words and numbers of the terminal panes.
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
