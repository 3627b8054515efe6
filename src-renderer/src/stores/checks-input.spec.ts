import { ChecksRunSchema } from '@shared/models/checks';
import { describe, expect, it } from 'vitest';

import { runInput, type ConnectionFields } from './checks-input';

const conn: ConnectionFields = {
  url: ' http://10.10.10.2:5000/v3 ',
  user: 'admin',
  project: 'admin',
  region: '',
  userDomain: '',
  projectDomain: 'Default',
  iface: 'public',
  via: '',
  ca: ' ',
  insecure: false,
  enforceBudgets: true,
};

describe('runInput', () => {
  it('leaves empty fields out and sends the password only when typed', () => {
    expect(runInput(conn, 'flock', '')).toEqual({
      suite: 'flock',
      keystone: {
        url: 'http://10.10.10.2:5000/v3',
        user: 'admin',
        project: 'admin',
        userDomain: 'Default',
        projectDomain: 'Default',
        interface: 'public',
      },
      insecure: false,
      budgets: 'enforce',
    });
    const withAll = runInput(
      {
        ...conn,
        region: 'RegionOne',
        via: 'controller-0',
        ca: '/etc/ca.pem',
        insecure: true,
        enforceBudgets: false,
      },
      'fm',
      's3cret',
    );
    expect(withAll).toMatchObject({
      keystone: { region: 'RegionOne', password: 's3cret' },
      via: 'controller-0',
      ca: '/etc/ca.pem',
      insecure: true,
      budgets: 'warn',
    });
    // What the form makes, the contract accepts.
    expect(ChecksRunSchema.safeParse(withAll).success).toBe(true);
  });

  it('runs without Keystone when no URL is given', () => {
    const input = runInput({ ...conn, url: '' }, 'mine', 'ignored');
    expect(input).not.toHaveProperty('keystone');
    expect(ChecksRunSchema.safeParse(input).success).toBe(true);
  });
});
