// How a service reads on the host page: its state as icon + word (never colour alone), its ports.
import type { Look } from '../ui/look';

export interface ServiceLook extends Look {
  /** True while the state is changing (a spinner instead of the icon). */
  readonly moving: boolean;
}

/** systemd's ActiveState words, SysV and SM states mapped onto the same few looks. */
export function serviceLook(state: string): ServiceLook {
  switch (state) {
    case 'active':
    case 'running':
    case 'enabled-active':
      return { label: 'Running', icon: 'circle-check', tone: 'ok', moving: false };
    case 'inactive':
    case 'stopped':
    case 'dead':
    case 'disabled':
      return { label: 'Stopped', icon: 'stop', tone: 'muted', moving: false };
    case 'failed':
      return { label: 'Failed', icon: 'circle-x', tone: 'danger', moving: false };
    case 'activating':
    case 'reloading':
      return { label: 'Starting', icon: 'play', tone: 'accent', moving: true };
    case 'deactivating':
      return { label: 'Stopping', icon: 'stop', tone: 'accent', moving: true };
    case 'enabled-standby':
      return { label: 'Standby', icon: 'clock', tone: 'muted', moving: false };
    case 'not-found':
    case 'missing':
      return { label: 'Not installed', icon: 'ban', tone: 'warning', moving: false };
    default:
      return {
        label: state ? capitalise(state) : 'Unknown',
        icon: 'alert',
        tone: 'warning',
        moving: false,
      };
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ');
}

export interface PortView {
  readonly port: number;
  readonly listening: boolean;
}

/** "6385 ✓ · 6386 ✗" as words a screen reader can say too. */
export function portsLabel(ports: readonly PortView[]): string {
  if (ports.length === 0) return 'no ports';
  return ports.map((p) => `${p.port} ${p.listening ? 'listening' : 'not listening'}`).join(', ');
}

export function enabledLabel(enabled: boolean | string | null | undefined): string {
  if (enabled === true) return 'Enabled';
  if (enabled === false) return 'Disabled';
  if (enabled === null || enabled === undefined || enabled === '') return '—';
  return capitalise(enabled);
}

export type ServiceAction = 'start' | 'stop' | 'restart';

export const ACTION_LABEL: Record<ServiceAction, { verb: string; busy: string; done: string }> = {
  start: { verb: 'Start', busy: 'Starting', done: 'started' },
  stop: { verb: 'Stop', busy: 'Stopping', done: 'stopped' },
  restart: { verb: 'Restart', busy: 'Restarting', done: 'restarted' },
};
