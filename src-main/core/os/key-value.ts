// The `KEY=value` files an OS describes itself with: /etc/os-release (os-release(5)) and
// StarlingX's /etc/build.info. Values may be bare, "double-quoted" (with \" \\ \$ \` escapes)
// or 'single-quoted'; blank lines and # comments are skipped; anything else is ignored, as
// os-release(5) tells readers to do.

const LINE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    return v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/** Parses an os-release style file into a plain record (later keys win, as a shell would). */
export function parseKeyValueFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    out[m[1]!] = unquote(m[2]!);
  }
  return out;
}
