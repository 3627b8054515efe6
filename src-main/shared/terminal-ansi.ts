// Terminal output as plain text: escape sequences removed (for log search and the log viewer).
// Pure: no platform imports.

/* eslint-disable no-control-regex -- matching terminal control characters is the point here */
// OSC / DCS / SOS / PM / APC strings up to BEL or ST, then CSI sequences, then 2-char escapes.
const STRINGS = /\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\)/g;
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]/g;
const ESC2 = /\x1b[ -/]*[0-~]?/g;
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/** Key sequences a terminal sends (arrows, function keys, bracketed-paste markers). */
export const KEY_SEQUENCE = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)/g;
/* eslint-enable no-control-regex */

/** Output text without escape sequences; CRLF and lone CR become LF, other controls dropped. */
export function stripAnsi(text: string): string {
  return text
    .replace(STRINGS, '')
    .replace(CSI, '')
    .replace(ESC2, '')
    .replace(/\r+\n/g, '\n')
    .replace(/\r/g, '\n')
    .replace(CONTROLS, '');
}
