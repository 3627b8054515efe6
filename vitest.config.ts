import { resolve } from 'node:path';

import { defineConfig } from 'vitest/config';

// Unit and integration tests sit beside the code as *.spec.ts. End-to-end specs live in e2e/
// and run under Playwright instead.
export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src-main/shared') } },
  test: {
    include: [
      'src-renderer/src/**/*.spec.ts',
      'src-main/**/*.spec.ts',
      'scripts/**/*.spec.ts',
      'bench/**/*.spec.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
