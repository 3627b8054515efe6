// `stx-lab`: the command-line face. Global options, then one subcommand per file.
import { join } from 'node:path';

import { Command, CommanderError } from 'commander';

import { APP_NAME, APP_VERSION } from '../app/version';
import { AppError } from '../shared/errors';
import { COMMANDS } from './commands';
import { createContext } from './context';

export function buildProgram(rendererDir: string): Command {
  const program = new Command('stx-lab')
    .description(`${APP_NAME}: bring StarlingX up on lab hosts, from scripts or a browser`)
    .version(APP_VERSION, '-V, --version')
    .option('--data <dir>', 'data folder (default: $STX_LAB_DATA, else the XDG data folder)')
    .showHelpAfterError()
    .enablePositionalOptions()
    .exitOverride();
  const ctx = createContext(rendererDir);
  for (const c of COMMANDS) c.register(program, ctx);
  return program;
}

function describe(err: unknown): string {
  if (err instanceof AppError) {
    const fields = err.details?.fields ?? [];
    return fields.length > 1
      ? `${err.message}\n${fields.map((f) => `  ${f.path}: ${f.message}`).join('\n')}`
      : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(join(import.meta.dirname, '../renderer'));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    // Commands that end with a verdict (exec: 0, 1 or 2) set process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    console.error(`stx-lab: ${describe(err)}`);
    return 1;
  }
}
