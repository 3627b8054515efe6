// Types for electron-binary.mjs (plain JS so `node` runs it without a build step).
export interface Fs {
  existsSync(p: string): boolean;
  readFileSync(p: string, enc: 'utf8'): string;
}
export type ElectronStatus =
  | { state: 'ok'; path: string; version: string; warning?: string }
  | { state: 'missing'; version: string; reason: string }
  | { state: 'not-installed'; reason: string };
export declare function locateElectron(
  electronDir: string,
  io: { env: Record<string, string | undefined>; fs: Fs },
): ElectronStatus;
export declare function mayDownloadElectron(env: Record<string, string | undefined>): boolean;
export declare function missingElectronAdvice(info: {
  version: string;
  reason: string;
  triedDownload: boolean;
}): string;
export declare function exitCodeOf(
  code: number | null,
  signal: NodeJS.Signals | null,
  signalNumbers: Record<string, number>,
): number;
