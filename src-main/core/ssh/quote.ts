// THE quoting helper. Every remote command is an argument vector; this is the one place that
// turns it into a POSIX shell line. No string from a user, an inventory or a flow reaches a
// shell any other way.
import { AppError } from '../../shared/errors';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkNoNul(value: string, what: string): void {
  if (value.includes('\0')) throw new AppError('invalid_input', `${what} contains a NUL byte`);
}

/** One word for a POSIX shell: left bare when plainly safe, else single-quoted. */
export function quoteArg(value: string): string {
  checkNoNul(value, 'an argument');
  if (value !== '' && SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export interface RemoteCommand {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/**
 * The shell line for a command: `cd DIR && exec env K=V -- ARGV…`, every part quoted.
 * `exec` makes the command replace the shell, so a signal to the session reaches it.
 */
export function shellLine(cmd: RemoteCommand): string {
  if (cmd.argv.length === 0)
    throw new AppError('invalid_input', 'a command needs at least one word');
  const words = cmd.argv.map(quoteArg);
  const env = Object.entries(cmd.env ?? {});
  for (const [name, value] of env) {
    if (!ENV_NAME.test(name)) {
      throw new AppError('invalid_input', `"${name}" is not a valid environment variable name`);
    }
    checkNoNul(value, `environment variable ${name}`);
  }
  const envPart = env.length ? `env ${env.map(([k, v]) => quoteArg(`${k}=${v}`)).join(' ')} ` : '';
  const run = `exec ${envPart}${words.join(' ')}`;
  return cmd.cwd === undefined ? run : `cd ${quoteArg(cmd.cwd)} && ${run}`;
}
