// The layering of DESIGN.md §3 is enforced by lint; these cases prove each rule can fail.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

// Existing files, so the type-aware parser knows them; the text under test replaces theirs.
const RENDERER = 'src-renderer/src/main.ts';
const SHARED = 'src-main/shared/security.ts';
const CORE = 'src-main/core/store/audit.ts';
const PRELOAD = 'src-main/preload/index.ts';
const WEB = 'src-main/web/auth.ts';

// The first lint builds the TypeScript program of the type-aware rules: slow on a loaded machine.
const LINT_TIMEOUT_MS = 120_000;

describe('lint enforces the layering', () => {
  it.each([
    [
      RENDERER,
      "import { openStore } from '../../src-main/core/store/database';\nvoid openStore;\n",
      /main process only through @shared/,
    ],
    [RENDERER, "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n", /sandboxed page/],
    [RENDERER, 'export const x = window.stxLab;\n', /Only src-renderer\/src\/platform/],
    [
      SHARED,
      "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n",
      /imports nothing platform-specific/,
    ],
    [
      SHARED,
      "import { AuditLog } from '../core/store/audit';\nvoid AuditLog;\n",
      /imports only shared/,
    ],
    [
      CORE,
      "import { safeStorage } from 'electron';\nvoid safeStorage;\n",
      /never imports Electron/,
    ],
    [
      CORE,
      "import { startWebServer } from '../../web/server';\nvoid startWebServer;\n",
      /does not know the faces/,
    ],
    [
      PRELOAD,
      "import { openStore } from '../core/store/database';\nvoid openStore;\n",
      /preload sees only electron/,
    ],
    [
      WEB,
      "import { app } from 'electron';\nvoid app;\n",
      /only src-main\/electron and src-main\/preload/,
    ],
  ])(
    '%s: refuses a forbidden import',
    async (file, code, expected) => {
      const found = await messages(file, code);
      expect(
        found.some((m) => m.startsWith('no-restricted') && expected.test(m)),
        found.join('\n'),
      ).toBe(true);
    },
    LINT_TIMEOUT_MS,
  );

  it(
    'accepts the allowed imports',
    async () => {
      const ok = await messages(
        RENDERER,
        "import type { Host } from '@shared/models/hosts';\nexport const h: Host[] = [];\n",
      );
      expect(ok.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
    },
    LINT_TIMEOUT_MS,
  );
});
