// Lets a bench process import the TypeScript sources under src-main directly, without a build and
// without tsx/vite-node: a synchronous resolve hook maps extensionless relative imports to `.ts`
// (or `/index.ts`), and a load hook turns `.ts` into JavaScript with Node's own
// `module.stripTypeScriptTypes` in 'transform' mode (parameter properties need it).
// Import this module first, then `await import()` the .ts files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const isFile = (p) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

// Node prints an ExperimentalWarning for stripTypeScriptTypes; the bench does not need it.
const emit = process.emitWarning;
process.emitWarning = (w, ...rest) => {
  const text = typeof w === 'string' ? w : w?.message;
  if (typeof text === 'string' && /stripTypeScriptTypes|Type Stripping/i.test(text)) return;
  return emit.call(process, w, ...rest);
};

module.registerHooks({
  resolve(specifier, context, next) {
    const parent = context.parentURL;
    if (parent?.endsWith('.ts') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
      const base = fileURLToPath(new URL(specifier, parent));
      for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
        if (isFile(candidate)) {
          return { url: pathToFileURL(candidate).href, format: 'module', shortCircuit: true };
        }
      }
    }
    return next(specifier, context);
  },
  load(url, context, next) {
    if (url.startsWith('file:') && url.endsWith('.ts')) {
      const path = fileURLToPath(url);
      if (existsSync(path)) {
        const source = module.stripTypeScriptTypes(readFileSync(path, 'utf8'), {
          mode: 'transform',
          sourceUrl: url,
        });
        return { format: 'module', source, shortCircuit: true };
      }
    }
    return next(url, context);
  },
});
