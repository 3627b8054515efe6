// The command line the user types, split into an argument vector the way a POSIX shell splits
// words (quotes and backslashes) — and nothing more: no variables, no globs, no operators. The
// console runs argv, never a shell line; shell syntax is reported so the user can choose
// `sh -c` explicitly.

export interface SplitResult {
  readonly words: string[];
  /** Shell operators and substitutions found outside single quotes, e.g. `|`, `&&`, `$(`. */
  readonly operators: string[];
  /** `$NAME` / `${…}` outside single quotes: passed as typed, not expanded. */
  readonly variables: boolean;
  /** Unquoted `*`, `?` or `[`: passed as typed, not expanded. */
  readonly globs: boolean;
  /** An unclosed quote, with its 1-based column. */
  readonly error?: { readonly message: string; readonly column: number };
}

const OPERATORS = ['&&', '||', '>>', '<<', '$(', '|', ';', '&', '>', '<', '`'] as const;

function operatorAt(text: string, i: number): string | undefined {
  return OPERATORS.find((op) => text.startsWith(op, i));
}

export function splitCommand(text: string): SplitResult {
  const words: string[] = [];
  const operators = new Set<string>();
  let variables = false;
  let globs = false;
  let word = '';
  let inWord = false;
  let i = 0;

  const end = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const result = (error?: SplitResult['error']): SplitResult => ({
    words,
    operators: [...operators],
    variables,
    globs,
    ...(error ? { error } : {}),
  });

  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      end();
      i++;
    } else if (c === '\\') {
      // A backslash quotes the next character; backslash-newline joins lines.
      if (i + 1 < text.length) {
        if (text[i + 1] !== '\n') {
          word += text[i + 1];
          inWord = true;
        }
        i += 2;
      } else {
        word += '\\';
        inWord = true;
        i++;
      }
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return result({ message: 'unclosed single quote', column: i + 1 });
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      inWord = true;
      for (;;) {
        if (i >= text.length)
          return result({ message: 'unclosed double quote', column: start + 1 });
        const d = text[i] as string;
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1] as string)) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
          continue;
        }
        if (d === '`' || text.startsWith('$(', i)) operators.add(d === '`' ? '`' : '$(');
        else if (d === '$' && /[A-Za-z_{]/.test(text[i + 1] ?? '')) variables = true;
        word += d;
        i++;
      }
      i++;
    } else {
      const op = operatorAt(text, i);
      if (op) {
        operators.add(op);
      } else if (c === '#' && !inWord) {
        operators.add('#');
      } else if (c === '$' && /[A-Za-z_{]/.test(text[i + 1] ?? '')) {
        variables = true;
      } else if (c === '*' || c === '?' || c === '[') {
        globs = true;
      }
      // Operators stay in the word as typed: with "sh -c" off, this is what would run.
      const len = op?.length ?? 1;
      word += text.slice(i, i + len);
      inWord = true;
      i += len;
    }
  }
  end();
  return result();
}

/** The argv that runs the text through the remote shell, explicitly. */
export function shellArgv(text: string): string[] {
  return ['sh', '-c', text];
}
