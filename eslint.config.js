// Lint is where the layering of DESIGN.md §3 is enforced; a failing lint is a failing build.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto'];

/** Import patterns a layer may not use, with the reason shown to the developer. */
function restrict(groups) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: groups.map(([group, message]) => ({ group, message })) },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.tools/**',
      '.native/**',
      'test-results/**',
      'playwright-report/**',
      '.test-output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig: undefined },
      globals: globals.browser,
    },
    rules: { 'max-lines': ['warn', { max: 250 }] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ['**/*.spec.ts', 'e2e/**/*.ts', 'src-main/test-support/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'max-lines': 'off',
    },
  },
  // ── Layering ──────────────────────────────────────────────────────────────
  {
    files: ['src-main/shared/**/*.ts'],
    rules: restrict([
      [
        ['electron', 'svelte', 'svelte/*', 'ws', 'better-sqlite3', ...NODE_BUILTINS],
        'shared/ is the contract: it imports nothing platform-specific.',
      ],
      [
        [
          '../core/*',
          '../app/*',
          '../electron/*',
          '../web/*',
          '../cli/*',
          '../preload/*',
          '../../*',
        ],
        'shared/ imports only shared/ (and zod).',
      ],
    ]),
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: restrict([
      [
        ['electron', 'electron/*'],
        'core/ never imports Electron: inject what it needs (see secrets/Cipher).',
      ],
      [
        ['**/app/*', '**/electron/*', '**/web/*', '**/cli/*', '**/preload/*'],
        'core/ does not know the faces.',
      ],
    ]),
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: restrict([
      [
        [...NODE_BUILTINS, '**/core/*', '**/app/*', '**/web/*', '**/cli/*', '**/electron/*'],
        'preload sees only electron and shared/.',
      ],
    ]),
  },
  {
    files: ['src-main/app/**/*.ts', 'src-main/web/**/*.ts', 'src-main/cli/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict([
      [['electron', 'electron/*'], 'only src-main/electron and src-main/preload import Electron.'],
    ]),
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: globals.browser },
    rules: {
      ...restrict([
        [
          ['**/src-main/**', '!**/src-main/shared/**'],
          'The renderer sees the main process only through @shared/*.',
        ],
        [
          ['electron', 'electron/*', ...NODE_BUILTINS, 'better-sqlite3', 'ws'],
          'The renderer runs in a sandboxed page.',
        ],
      ]),
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    ignores: ['src-renderer/src/platform/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'window',
          property: 'stxLab',
          message: 'Only src-renderer/src/platform/ knows the transport.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/platform\\/(ws-port|bridge)/]',
          message: 'Use platform/backend.',
        },
      ],
    },
  },
);
