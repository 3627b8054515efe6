// Types for electron-native.mjs (plain JS so `node` runs it without a build step).
export declare class NativeSetupError extends Error {}
export interface NativeResult {
  action: 'copied' | 'unchanged';
  /** absolute path of out/native/better_sqlite3.node */
  target: string;
  /** absolute path of the binary it was taken from */
  source: string;
  /** one line saying what happened */
  line: string;
}
export declare function ensureElectronNative(opts?: {
  root?: string;
  platform?: string;
  arch?: string;
  forceRebuild?: boolean;
}): Promise<NativeResult>;
export declare function beforePack(context: {
  electronPlatformName: string;
  arch: number;
}): Promise<void>;
