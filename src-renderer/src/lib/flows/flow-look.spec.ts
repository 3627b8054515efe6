import { RUN_STATUSES } from '@shared/models/flows';
import { describe, expect, it } from 'vitest';

import { cellLook, duration, isFinal, runLook } from './flow-look';

describe('flow look', () => {
  it('says durations the way people read them', () => {
    expect(duration(450)).toBe('450 ms');
    expect(duration(1250)).toBe('1.3 s');
    expect(duration(184_000)).toBe('3 min 04 s');
    expect(duration(3_720_000)).toBe('1 h 02 min');
    expect(duration(null)).toBe('');
    expect(duration(-1)).toBe('');
  });

  it('gives every run status a word and an icon, and knows the final ones', () => {
    for (const s of RUN_STATUSES) expect(runLook(s).label).not.toBe('');
    expect(RUN_STATUSES.filter(isFinal)).toEqual(['succeeded', 'failed', 'cancelled']);
    expect(cellLook('ok')).toEqual(cellLook('succeeded'));
    expect(cellLook('failed').tone).toBe('danger');
  });
});
