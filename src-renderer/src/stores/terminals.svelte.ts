// The Terminals screen's state: tabs, each a split layout of terminal panes, which pane has the
// focus, the text size, and the broadcast. Sessions live here (not in components), so they and
// their scrollback survive navigation to other screens.
import type { TerminalTarget } from '@shared/models/terminals';

import {
  leaf,
  leaves,
  neighbour,
  remove,
  split,
  type Layout,
  type Move,
} from '../lib/terminals/layout';
import { BroadcastStore } from './terminals-broadcast.svelte';
import { TerminalSession } from './terminals-session.svelte';
import { theme } from './theme.svelte';

export interface TerminalTab {
  readonly key: string;
  readonly layout: Layout;
  /** The pane with the focus in this tab. */
  readonly focus: string;
}

/** Where a new terminal goes: its own tab, or beside / below the focused pane. */
export type Placement = 'tab' | 'right' | 'down';

export const FONT_DEFAULT = 14;
const FONT_MIN = 8;
const FONT_MAX = 32;
const FONT_KEY = 'stx-lab.terminal-font-size';

function readFontSize(): number {
  try {
    const n = Number(localStorage.getItem(FONT_KEY));
    return n >= FONT_MIN && n <= FONT_MAX ? n : FONT_DEFAULT;
  } catch {
    return FONT_DEFAULT;
  }
}

/** `?debug=terminal-hash` in the console's address turns the output hash on (output-hash.ts). */
function debugFlag(name: string): boolean {
  const value = new URLSearchParams(location.search).get('debug') ?? '';
  return value.split(',').includes(name);
}

let seq = 0;
const nextKey = (prefix: string): string => `${prefix}${++seq}`;

export class TerminalsStore {
  tabs = $state.raw<TerminalTab[]>([]);
  activeKey = $state<string | null>(null);
  sessions = $state.raw<TerminalSession[]>([]);
  fontSize = $state(readFontSize());
  /** The "new terminal" picker, with where the terminal will go. */
  picker = $state<Placement | null>(null);
  findOpen = $state(false);
  helpOpen = $state(false);
  view = $state<'terminals' | 'logs'>('terminals');
  /** The broadcast bar (targets, arm switch, input field) is shown. */
  broadcastPanel = $state(false);
  readonly hashOutput = debugFlag('terminal-hash');
  readonly broadcast = new BroadcastStore(() => this.sessions);

  readonly active: TerminalTab | undefined = $derived(
    this.tabs.find((t) => t.key === this.activeKey),
  );
  readonly focused: TerminalSession | undefined = $derived(
    this.active ? this.session(this.active.focus) : undefined,
  );

  session(key: string): TerminalSession | undefined {
    return this.sessions.find((s) => s.key === key);
  }

  /** The tab holding a terminal. */
  tabOf(key: string): TerminalTab | undefined {
    return this.tabs.find((t) => leaves(t.layout).includes(key));
  }

  open(target: TerminalTarget, placement: Placement = 'tab'): TerminalSession {
    const key = nextKey('term-');
    const session = new TerminalSession({
      key,
      target,
      label: target.kind === 'ssh' ? target.host : 'local shell',
      fontSize: this.fontSize,
      theme: theme.effective,
      hashOutput: this.hashOutput,
      onInput: (s, data) => this.#input(s, data),
    });
    this.sessions = [...this.sessions, session];
    const tab = this.active;
    if (placement === 'tab' || !tab) {
      const created: TerminalTab = { key: nextKey('tab-'), layout: leaf(key), focus: key };
      this.tabs = [...this.tabs, created];
      this.activeKey = created.key;
    } else {
      const dir = placement === 'right' ? 'row' : 'column';
      this.#replaceTab({ ...tab, layout: split(tab.layout, tab.focus, dir, key), focus: key });
    }
    this.view = 'terminals';
    return session;
  }

  /** A shell on an inventory host in a new tab, and the Terminals screen shown (host page). */
  openOnHost(host: string): void {
    this.open({ kind: 'ssh', host });
    location.hash = '#/terminals';
  }

  /** Closes one terminal; its tab goes when it was the last pane. */
  close(key: string): void {
    const session = this.session(key);
    const tab = this.tabOf(key);
    session?.dispose();
    this.broadcast.drop(key);
    this.sessions = this.sessions.filter((s) => s.key !== key);
    if (!tab) return;
    const layout = remove(tab.layout, key);
    if (layout) {
      const focus = tab.focus === key ? (leaves(layout)[0] as string) : tab.focus;
      this.#replaceTab({ ...tab, layout, focus });
      if (tab.key === this.activeKey) this.focus(focus);
      return;
    }
    const index = this.tabs.indexOf(tab);
    this.tabs = this.tabs.filter((t) => t !== tab);
    if (this.activeKey === tab.key) {
      const next = this.tabs[Math.min(index, this.tabs.length - 1)];
      this.activeKey = next?.key ?? null;
      if (next) this.focus(next.focus);
    }
  }

  closeTab(tabKey: string): void {
    const tab = this.tabs.find((t) => t.key === tabKey);
    for (const key of tab ? leaves(tab.layout) : []) this.close(key);
  }

  /** Gives a pane the focus (and shows its tab). */
  focus(key: string): void {
    const tab = this.tabOf(key);
    if (!tab) return;
    if (tab.focus !== key) this.#replaceTab({ ...tab, focus: key });
    this.activeKey = tab.key;
    this.view = 'terminals';
    queueMicrotask(() => this.session(key)?.term.focus());
  }

  showTab(tabKey: string): void {
    const tab = this.tabs.find((t) => t.key === tabKey);
    if (tab) this.focus(tab.focus);
  }

  move(direction: Move): void {
    const tab = this.active;
    if (!tab) return;
    const key = neighbour(tab.layout, tab.focus, direction);
    if (key) this.focus(key);
  }

  cycleTab(delta: number): void {
    if (this.tabs.length === 0) return;
    const i = this.tabs.findIndex((t) => t.key === this.activeKey);
    const next = this.tabs[(i + delta + this.tabs.length) % this.tabs.length];
    if (next) this.showTab(next.key);
  }

  setFontSize(size: number): void {
    this.fontSize = Math.max(FONT_MIN, Math.min(FONT_MAX, Math.round(size)));
    try {
      localStorage.setItem(FONT_KEY, String(this.fontSize));
    } catch {
      // No storage: the size lasts for this page.
    }
    for (const s of this.sessions) s.setFontSize(this.fontSize);
  }

  #replaceTab(tab: TerminalTab): void {
    this.tabs = this.tabs.map((t) => (t.key === tab.key ? tab : t));
  }

  #input(session: TerminalSession, data: string): void {
    if (this.broadcast.armed && this.broadcast.has(session.key)) this.broadcast.send(data);
    else session.send(data);
  }
}

export const terminals = new TerminalsStore();
