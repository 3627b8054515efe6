// What a key press sends to a terminal, for the broadcast field (which is not an xterm): the
// bytes a VT220-style terminal sends in normal cursor mode. Keys it does not know send nothing.

const SPECIAL: Record<string, string> = {
  Enter: '\r',
  Backspace: '\x7f',
  Tab: '\t',
  Escape: '\x1b',
  ArrowUp: '\x1b[A',
  ArrowDown: '\x1b[B',
  ArrowRight: '\x1b[C',
  ArrowLeft: '\x1b[D',
  Home: '\x1b[H',
  End: '\x1b[F',
  Insert: '\x1b[2~',
  Delete: '\x1b[3~',
  PageUp: '\x1b[5~',
  PageDown: '\x1b[6~',
};

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/** The terminal input for a key, or null when it sends nothing. */
export function keyToInput(e: KeyLike): string | null {
  if (e.metaKey) return null;
  if (e.key === 'Tab' && e.shiftKey) return '\x1b[Z';
  const special = SPECIAL[e.key];
  if (special !== undefined) return e.altKey ? `\x1b${special}` : special;
  if ([...e.key].length !== 1) return null;
  let out = e.key;
  if (e.ctrlKey) {
    const c = e.key.toUpperCase().charCodeAt(0);
    if (c >= 0x40 && c <= 0x5f) out = String.fromCharCode(c - 0x40);
    else if (e.key === ' ' || e.key === '2') out = '\x00';
    else if (e.key === '/') out = '\x1f';
    else return null;
  }
  return e.altKey ? `\x1b${out}` : out;
}
