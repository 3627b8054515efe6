import { describe, expect, it } from 'vitest';

import { flowsHref, parseFlowsHash } from './route';

describe('flows routes', () => {
  it('round-trips every view through its address', () => {
    const file = '/home/me/flows/a b#c.yaml';
    expect(parseFlowsHash(flowsHref.library())).toEqual({ view: 'library' });
    expect(parseFlowsHash(flowsHref.history())).toEqual({ view: 'history' });
    expect(parseFlowsHash(flowsHref.flow(file))).toEqual({ view: 'flow', file });
    expect(parseFlowsHash(flowsHref.run('r-1'))).toEqual({ view: 'run', id: 'r-1' });
    expect(parseFlowsHash(flowsHref.replay('r-1'))).toEqual({ view: 'replay', id: 'r-1' });
    expect(parseFlowsHash(flowsHref.present('r-1'))).toEqual({
      view: 'present',
      id: 'r-1',
      replay: false,
    });
    expect(parseFlowsHash(flowsHref.present('r-1', true))).toEqual({
      view: 'present',
      id: 'r-1',
      replay: true,
    });
  });

  it('falls back to the library or history on odd addresses', () => {
    expect(parseFlowsHash('#/flows/nonsense')).toEqual({ view: 'library' });
    expect(parseFlowsHash('#/flows/run/')).toEqual({ view: 'history' });
    expect(parseFlowsHash('#/flows/flow/%E0%A4%A')).toEqual({ view: 'library' });
    expect(parseFlowsHash('#/hosts')).toEqual({ view: 'library' });
  });
});
