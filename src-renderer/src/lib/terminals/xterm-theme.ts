// xterm colours for the console's two themes (the app's tokens for background, text and
// selection; ANSI palettes readable on each background, after GitHub's terminal themes).
import type { ITheme } from '@xterm/xterm';

import type { Theme } from '../../stores/theme.svelte';

const DARK: ITheme = {
  background: '#161a21',
  foreground: '#e3e7ee',
  cursor: '#93b6ff',
  cursorAccent: '#161a21',
  selectionBackground: '#2a4a8a',
  selectionForeground: '#ffffff',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#172030',
  cursor: '#1d4ed8',
  cursorAccent: '#ffffff',
  selectionBackground: '#c6d7fb',
  selectionForeground: '#172030',
  black: '#24292f',
  red: '#cf222e',
  green: '#116329',
  yellow: '#7d4e00',
  blue: '#0969da',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#218bff',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

export function xtermTheme(theme: Theme): ITheme {
  return theme === 'dark' ? DARK : LIGHT;
}

/** Search highlight colours (#RRGGBB, as the search addon wants them). */
export function searchColours(theme: Theme): {
  matchBackground: string;
  activeMatchBackground: string;
  matchOverviewRuler: string;
  activeMatchColorOverviewRuler: string;
} {
  return theme === 'dark'
    ? {
        matchBackground: '#4d3b00',
        activeMatchBackground: '#a86f00',
        matchOverviewRuler: '#d29922',
        activeMatchColorOverviewRuler: '#ffb000',
      }
    : {
        matchBackground: '#fff1a8',
        activeMatchBackground: '#ffb000',
        matchOverviewRuler: '#d4a72c',
        activeMatchColorOverviewRuler: '#bf8700',
      };
}
