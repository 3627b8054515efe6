// The keyboard shortcuts of the Terminals screen: one table, used both to dispatch keys and to
// list them in the help overlay, so the two cannot drift apart.

export type TerminalAction =
  | 'new'
  | 'close'
  | 'split-right'
  | 'split-down'
  | 'focus-left'
  | 'focus-right'
  | 'focus-up'
  | 'focus-down'
  | 'next-tab'
  | 'prev-tab'
  | 'find'
  | 'copy'
  | 'font-bigger'
  | 'font-smaller'
  | 'font-reset'
  | 'broadcast'
  | 'help';

export interface Shortcut {
  readonly action: TerminalAction;
  /** As shown to the user. */
  readonly keys: string;
  readonly label: string;
  readonly match: (e: KeyboardEvent) => boolean;
}

const ctrlShift = (code: string) => (e: KeyboardEvent) =>
  e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey && e.code === code;
const ctrl =
  (...keys: string[]) =>
  (e: KeyboardEvent) =>
    e.ctrlKey && !e.altKey && !e.metaKey && keys.includes(e.key);
const alt = (key: string) => (e: KeyboardEvent) =>
  e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.key === key;

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'new', keys: 'Ctrl+Shift+T', label: 'New terminal', match: ctrlShift('KeyT') },
  { action: 'close', keys: 'Ctrl+Shift+W', label: 'Close the terminal', match: ctrlShift('KeyW') },
  { action: 'split-right', keys: 'Ctrl+Shift+D', label: 'Split right', match: ctrlShift('KeyD') },
  { action: 'split-down', keys: 'Ctrl+Shift+E', label: 'Split down', match: ctrlShift('KeyE') },
  {
    action: 'focus-left',
    keys: 'Alt+←',
    label: 'Focus the pane on the left',
    match: alt('ArrowLeft'),
  },
  {
    action: 'focus-right',
    keys: 'Alt+→',
    label: 'Focus the pane on the right',
    match: alt('ArrowRight'),
  },
  { action: 'focus-up', keys: 'Alt+↑', label: 'Focus the pane above', match: alt('ArrowUp') },
  { action: 'focus-down', keys: 'Alt+↓', label: 'Focus the pane below', match: alt('ArrowDown') },
  { action: 'next-tab', keys: 'Ctrl+Shift+]', label: 'Next tab', match: ctrlShift('BracketRight') },
  {
    action: 'prev-tab',
    keys: 'Ctrl+Shift+[',
    label: 'Previous tab',
    match: ctrlShift('BracketLeft'),
  },
  { action: 'find', keys: 'Ctrl+Shift+F', label: 'Find in scrollback', match: ctrlShift('KeyF') },
  { action: 'copy', keys: 'Ctrl+Shift+C', label: 'Copy the selection', match: ctrlShift('KeyC') },
  { action: 'font-bigger', keys: 'Ctrl++', label: 'Larger text', match: ctrl('+', '=') },
  { action: 'font-smaller', keys: 'Ctrl+−', label: 'Smaller text', match: ctrl('-') },
  { action: 'font-reset', keys: 'Ctrl+0', label: 'Default text size', match: ctrl('0') },
  {
    action: 'broadcast',
    keys: 'Ctrl+Shift+B',
    label: 'Broadcast input on/off',
    match: ctrlShift('KeyB'),
  },
  { action: 'help', keys: 'F1', label: 'These shortcuts', match: (e) => e.key === 'F1' },
];

/** Shown in the help overlay; handled by the browser or xterm, not by the table above. */
export const OTHER_KEYS: readonly { keys: string; label: string }[] = [
  { keys: 'Ctrl+Shift+V', label: 'Paste (bracketed when the program asked for it)' },
  { keys: 'Shift+drag', label: 'Select text while a program uses the mouse' },
  { keys: 'Ctrl+click', label: 'Open a link' },
  { keys: 'Shift+PgUp / PgDn', label: 'Scroll the scrollback' },
];

export function actionFor(e: KeyboardEvent): TerminalAction | null {
  return SHORTCUTS.find((s) => s.match(e))?.action ?? null;
}
