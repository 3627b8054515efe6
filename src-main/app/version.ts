// Name and version, injected at build time from package.json (see electron.vite.config.ts);
// the fallbacks serve unit tests that import sources directly.
declare const __APP_VERSION__: string | undefined;

export const APP_NAME = 'StarlingX Lab Console';
export const APP_VERSION: string =
  typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
