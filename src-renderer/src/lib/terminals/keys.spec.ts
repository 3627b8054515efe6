import { describe, expect, it } from 'vitest';

import { keyToInput, type KeyLike } from './keys';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('broadcast field keys', () => {
  it('sends printable characters as they are', () => {
    expect(keyToInput(key('a'))).toBe('a');
    expect(keyToInput(key('É'))).toBe('É');
    expect(keyToInput(key('😀'))).toBe('😀');
  });

  it('sends control characters', () => {
    expect(keyToInput(key('c', { ctrlKey: true }))).toBe('\x03');
    expect(keyToInput(key('D', { ctrlKey: true, shiftKey: true }))).toBe('\x04');
    expect(keyToInput(key('[', { ctrlKey: true }))).toBe('\x1b');
    expect(keyToInput(key(' ', { ctrlKey: true }))).toBe('\x00');
    expect(keyToInput(key('Enter'))).toBe('\r');
    expect(keyToInput(key('Backspace'))).toBe('\x7f');
  });

  it('sends cursor and editing keys, Alt as an ESC prefix', () => {
    expect(keyToInput(key('ArrowUp'))).toBe('\x1b[A');
    expect(keyToInput(key('Delete'))).toBe('\x1b[3~');
    expect(keyToInput(key('Tab', { shiftKey: true }))).toBe('\x1b[Z');
    expect(keyToInput(key('b', { altKey: true }))).toBe('\x1bb');
  });

  it('ignores modifier-only and unknown keys', () => {
    expect(keyToInput(key('Shift'))).toBeNull();
    expect(keyToInput(key('F5'))).toBeNull();
    expect(keyToInput(key('a', { metaKey: true }))).toBeNull();
    expect(keyToInput(key('1', { ctrlKey: true }))).toBeNull();
  });
});
