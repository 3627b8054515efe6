// What every CLI command gets: the resolved data folder and a way to open the app on it.
import envPaths from 'env-paths';

import type { App, AppOptions } from '../app/create-app';

export interface GlobalOptions {
  data?: string;
}

export interface CliContext {
  dataDir(opts: GlobalOptions): string;
  /** Loads the app lazily: `--help` and cheap commands never pay for SQLite, SSH or zod. */
  openApp(opts: GlobalOptions, face: 'cli' | 'web', ssh?: AppOptions['ssh']): Promise<App>;
  /** Where the built renderer lives (next to this bundle). */
  readonly rendererDir: string;
}

/** `--data DIR`, else `STX_LAB_DATA`, else the platform's data folder (XDG on Linux). */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.STX_LAB_DATA) return env.STX_LAB_DATA;
  return envPaths('stx-lab', { suffix: '' }).data;
}

export function createContext(rendererDir: string): CliContext {
  return {
    rendererDir,
    dataDir: (opts) => resolveDataDir(opts.data, process.env),
    openApp: async (opts, face, ssh) => {
      const { createApp } = await import('../app/create-app');
      return createApp({
        dataDir: resolveDataDir(opts.data, process.env),
        face,
        ...(ssh ? { ssh } : {}),
      });
    },
  };
}
