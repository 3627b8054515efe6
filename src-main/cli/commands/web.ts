// `stx-lab web`: the browser-host face.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Option, type Command } from 'commander';

import type { CliContext, GlobalOptions } from '../context';

interface WebOptions extends GlobalOptions {
  host: string;
  port: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`--port takes a number from 0 to 65535 (0 picks a free port), not "${value}"`);
  }
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('web')
    .description('serve the console to a browser (loopback only unless --host says otherwise)')
    .addOption(new Option('--host <address>', 'address to bind').default('127.0.0.1'))
    .addOption(
      new Option('--port <n>', 'port to listen on; 0 picks a free one')
        .default(8417)
        .argParser(parsePort),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<WebOptions>();
      if (!existsSync(join(ctx.rendererDir, 'index.html'))) {
        throw new Error(`the UI is not built (${ctx.rendererDir} is missing): run "npm run build"`);
      }
      const { isLoopback, startWebServer } = await import('../../web/server');
      if (!isLoopback(opts.host)) {
        const bar = '!'.repeat(78);
        console.error(
          `${bar}\n!! WARNING: binding ${opts.host}, not loopback. Anyone who can reach this ` +
            `address\n!! and learns the token controls your lab through this console.\n${bar}`,
        );
      }
      const app = await ctx.openApp(opts, 'web');
      const web = await startWebServer({
        dispatcher: app.dispatcher,
        staticDir: ctx.rendererDir,
        host: opts.host,
        port: opts.port,
      });
      console.log(`StarlingX Lab Console is serving at ${web.loginUrl}`);
      const stop = (): void => {
        void web.close().then(() => {
          app.close();
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
