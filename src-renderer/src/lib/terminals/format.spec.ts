import { describe, expect, it } from 'vitest';

import { endMessage, formatBytes, inputParts } from './format';

describe('terminal formats', () => {
  it('cuts a long paste without splitting a character', () => {
    const text = `ab😀cd`;
    expect(inputParts(text, 3)).toEqual(['ab', '😀c', 'd']);
    expect(inputParts(text, 3).join('')).toBe(text);
    expect(inputParts('', 3)).toEqual([]);
  });

  it('says how a shell ended', () => {
    expect(endMessage({ id: 't', reason: 'exit', exitCode: 0 })).toBe(
      'The shell ended (exit code 0)',
    );
    expect(endMessage({ id: 't', reason: 'exit', signal: 'SIGKILL' })).toBe(
      'The shell ended (killed by SIGKILL)',
    );
    expect(endMessage({ id: 't', reason: 'closed' })).toBe('Closed');
  });

  it('prints sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50.0 MiB');
  });
});
