// Output is handed to xterm in slices of at most WRITE_SLICE_CHARS: xterm checks its time budget
// (12 ms per task) only between writes, so one 64 KiB write is parsed in one go however long it
// takes. Smaller slices let it yield to rendering and input sooner. A slice never ends between
// the two halves of a surrogate pair.

export const WRITE_SLICE_CHARS = 16 * 1024;

export function writeSlices(data: string, max = WRITE_SLICE_CHARS): string[] {
  if (data.length <= max) return [data];
  const out: string[] = [];
  let at = 0;
  while (at < data.length) {
    let end = Math.min(at + max, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && end - at > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    out.push(data.slice(at, end));
    at = end;
  }
  return out;
}

/** Writes `data` into xterm in slices; `parsed` runs once the last slice is parsed. */
export function writeInSlices(
  term: { write(data: string, callback?: () => void): void },
  data: string,
  parsed: () => void,
): void {
  const slices = writeSlices(data);
  const last = slices.length - 1;
  for (let i = 0; i < last; i++) term.write(slices[i]!);
  term.write(slices[last]!, parsed);
}
