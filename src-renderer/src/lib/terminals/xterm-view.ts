// The xterm side of a terminal: the Terminal with its addons, the element it draws into (moved
// between panes as the layout changes), fitting, and the renderer. WebGL is used only while
// the terminal is visible — hidden terminals hold no WebGL context (browsers allow ~16) — and
// the DOM renderer takes over when WebGL fails, its context is lost, or it is software-only.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';

import type { Theme } from '../../stores/theme.svelte';
import { xtermTheme } from './xterm-theme';

const FONT_FAMILY = "'DejaVu Sans Mono', 'Cascadia Mono', ui-monospace, Menlo, Consolas, monospace";

/**
 * Whether WebGL here is a software rasteriser (SwiftShader, llvmpipe: a VM or a machine without
 * a usable GPU). There it is several times slower than xterm's DOM renderer, so it is not used.
 * Asked once per page.
 */
let softwareGl: boolean | undefined;
export function webglIsSoftware(): boolean {
  if (softwareGl !== undefined) return softwareGl;
  softwareGl = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const name = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    softwareGl = /swiftshader|llvmpipe|softpipe|software/i.test(name);
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    // No WebGL at all: the addon will fail and the DOM renderer stays.
  }
  return softwareGl;
}

export interface ViewOptions {
  readonly fontSize: number;
  readonly theme: Theme;
  readonly onInput: (data: string) => void;
  /** WebGL on or off (the session mirrors it for display). */
  readonly onRenderer: (renderer: 'webgl' | 'dom') => void;
}

export class XtermView {
  readonly term: Terminal;
  readonly search = new SearchAddon({ highlightLimit: 2000 });
  readonly element: HTMLDivElement;
  #fit = new FitAddon();
  #webgl: WebglAddon | null = null;
  #webglBroken = false;
  #opened = false;

  constructor(private readonly opts: ViewOptions) {
    this.element = document.createElement('div');
    this.element.className = 'xterm-host';
    this.term = new Terminal({
      allowProposedApi: true,
      fontFamily: FONT_FAMILY,
      fontSize: opts.fontSize,
      scrollback: 10_000,
      theme: xtermTheme(opts.theme),
      cursorBlink: true,
      macOptionIsMeta: true,
    });
    this.term.loadAddon(this.#fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    // Ctrl/Cmd+click opens a link (a plain click stays a click, for selecting text); the new
    // window has no opener. The desktop face's main process decides what a new window may be.
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        if (event.ctrlKey || event.metaKey) window.open(uri, '_blank', 'noopener,noreferrer');
      }),
    );
    this.term.onData(opts.onInput);
    this.term.onBinary(opts.onInput);
  }

  /** Puts the terminal into a pane's container (the first time: opens xterm there). */
  mount(container: HTMLElement): void {
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (!this.#opened) {
      this.term.open(this.element);
      this.#opened = true;
    }
  }

  /** Fits to the pane; returns the size, or null when the pane is hidden or not laid out. */
  fit(): { cols: number; rows: number } | null {
    if (!this.#opened || this.element.offsetWidth === 0 || this.element.offsetHeight === 0) {
      return null;
    }
    const dims = this.#fit.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return null;
    const cols = Math.max(2, Math.min(1000, dims.cols));
    const rows = Math.max(1, Math.min(500, dims.rows));
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
    return { cols, rows };
  }

  setVisible(visible: boolean): void {
    if (visible && !this.#webgl && !this.#webglBroken && this.#opened && !webglIsSoftware()) {
      try {
        const addon = new WebglAddon();
        addon.onContextLoss(() => {
          this.#webglBroken = true;
          this.#dropWebgl();
        });
        this.term.loadAddon(addon);
        this.#webgl = addon;
        this.opts.onRenderer('webgl');
      } catch {
        this.#webglBroken = true;
        this.opts.onRenderer('dom');
      }
    } else if (!visible) {
      this.#dropWebgl();
    }
  }

  setFontSize(size: number): void {
    this.term.options.fontSize = size;
  }

  setTheme(theme: Theme): void {
    this.term.options.theme = xtermTheme(theme);
  }

  dispose(): void {
    this.#dropWebgl();
    this.term.dispose();
    this.element.remove();
  }

  #dropWebgl(): void {
    const addon = this.#webgl;
    if (!addon) return;
    this.#webgl = null;
    this.opts.onRenderer('dom');
    try {
      addon.dispose();
    } catch {
      // Disposing after a context loss may throw inside the addon; the DOM renderer is back.
    }
  }
}
