// How states of runs, steps and host cells look: a word, an icon and a tone (never colour alone).
import {
  FINAL_RUN_STATUSES,
  type HostStepStatus,
  type RunStatus,
  type StepStatus,
} from '@shared/models/flows';

import type { Look } from '../ui/look';

export type CellState = StepStatus | HostStepStatus;
export type RunStateName = RunStatus;

export type { Look, Tone } from '../ui/look';

const CELL: Record<CellState, Look> = {
  pending: { label: 'Pending', icon: 'clock', tone: 'muted' },
  running: { label: 'Running', icon: 'play', tone: 'accent' },
  waiting: { label: 'Waiting', icon: 'hourglass', tone: 'warning' },
  ok: { label: 'OK', icon: 'circle-check', tone: 'ok' },
  succeeded: { label: 'OK', icon: 'circle-check', tone: 'ok' },
  failed: { label: 'Failed', icon: 'circle-x', tone: 'danger' },
  skipped: { label: 'Skipped', icon: 'arrow-right', tone: 'muted' },
  cancelled: { label: 'Cancelled', icon: 'ban', tone: 'muted' },
  interrupted: { label: 'Interrupted', icon: 'unplug', tone: 'warning' },
};

const RUN: Record<RunStateName, Look> = {
  queued: { label: 'Starting', icon: 'clock', tone: 'muted' },
  running: { label: 'Running', icon: 'play', tone: 'accent' },
  paused: { label: 'Paused', icon: 'pause', tone: 'warning' },
  waiting: { label: 'Waiting for you', icon: 'hourglass', tone: 'warning' },
  succeeded: { label: 'Succeeded', icon: 'circle-check', tone: 'ok' },
  failed: { label: 'Failed', icon: 'circle-x', tone: 'danger' },
  cancelled: { label: 'Cancelled', icon: 'ban', tone: 'muted' },
  interrupted: { label: 'Interrupted', icon: 'unplug', tone: 'warning' },
};

export function cellLook(state: CellState): Look {
  return CELL[state];
}

export function runLook(state: RunStateName): Look {
  return RUN[state];
}

export function isFinal(state: RunStateName): boolean {
  return FINAL_RUN_STATUSES.includes(state);
}

/** "1.2 s", "3 min 04 s", "1 h 02 min". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A local date and time without seconds, e.g. "2026-11-23 01:02". */
export function when(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** What the log pane shows: one step, one host, both, or everything (null, null). */
export interface Selection {
  readonly step: string | null;
  readonly host: string | null;
}
