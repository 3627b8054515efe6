import { describe, expect, it } from 'vitest';

import { enabledLabel, portsLabel, serviceLook } from './service-format';

describe('serviceLook', () => {
  it('names each systemd state with a word and an icon', () => {
    expect(serviceLook('active')).toMatchObject({
      label: 'Running',
      icon: 'circle-check',
      tone: 'ok',
    });
    expect(serviceLook('inactive')).toMatchObject({ label: 'Stopped', tone: 'muted' });
    expect(serviceLook('failed')).toMatchObject({
      label: 'Failed',
      icon: 'circle-x',
      tone: 'danger',
    });
    expect(serviceLook('activating')).toMatchObject({ label: 'Starting', moving: true });
    expect(serviceLook('not-found').label).toBe('Not installed');
  });

  it('maps SM states and keeps unknown words readable', () => {
    expect(serviceLook('enabled-active').label).toBe('Running');
    expect(serviceLook('enabled-standby').label).toBe('Standby');
    expect(serviceLook('go-active-failed')).toMatchObject({
      label: 'Go active failed',
      tone: 'warning',
    });
    expect(serviceLook('').label).toBe('Unknown');
  });
});

describe('labels', () => {
  it('says which ports listen', () => {
    expect(
      portsLabel([
        { port: 6385, listening: true },
        { port: 6386, listening: false },
      ]),
    ).toBe('6385 listening, 6386 not listening');
    expect(portsLabel([])).toBe('no ports');
  });

  it('reads enabled flags and systemd enablement words', () => {
    expect(enabledLabel(true)).toBe('Enabled');
    expect(enabledLabel(false)).toBe('Disabled');
    expect(enabledLabel(null)).toBe('—');
    expect(enabledLabel('static')).toBe('Static');
  });
});
