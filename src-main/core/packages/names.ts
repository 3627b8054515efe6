// Package names, search terms and package files are checked before any command is built.
// Commands are argv (no shell), so this is defence in depth plus option-injection protection:
// nothing that looks like a shell metacharacter or an option (leading '-') gets through.
import { AppError } from '../../shared/errors';
import type { InstallRequest } from './package-manager';

/**
 * deb (`[a-z0-9][a-z0-9+.-]+`, optional `:arch`, optional `=version`), rpm (letters, digits,
 * `._+-`, optional `-version-release`) and swupd bundle names all fit here.
 */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._+~:=-]*$/;
const TERM = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;
const META = /[;&|$`<>()'"\\*?[\]{}!#\s]/;

function describe(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value.startsWith('-')) return 'starts with "-" (it would be read as an option)';
  const meta = META.exec(value);
  if (meta) {
    const ch = meta[0];
    const shown = /\s/.test(ch) ? 'whitespace' : `"${ch}"`;
    return `contains ${shown}, which is not allowed in a package name`;
  }
  return undefined;
}

function refuse(field: string, value: string, why: string): never {
  throw new AppError('invalid_input', `${field} ${JSON.stringify(value)} ${why}`, {
    fields: [{ path: field, message: why }],
  });
}

export function checkPackageName(name: string, field = 'name'): string {
  if (typeof name !== 'string') refuse(field, String(name), 'is not a string');
  const why = describe(name) ?? (name.length > 200 ? 'is too long' : undefined);
  if (why) refuse(field, name, why);
  if (!NAME.test(name)) refuse(field, name, 'contains characters not allowed in a package name');
  return name;
}

export function checkPackageNames(names: readonly string[], field = 'names'): string[] {
  if (names.length === 0) refuse(field, '', 'needs at least one package name');
  return names.map((n, i) => checkPackageName(n, `${field}.${i}`));
}

/** A search term: like a name, without version or arch qualifiers. */
export function checkSearchTerm(term: string, field = 'term'): string {
  const why = describe(term);
  if (why) refuse(field, term, why);
  if (!TERM.test(term) || term.length > 100) {
    refuse(field, term, 'may hold only letters, digits and . _ + -');
  }
  return term;
}

/** A package file on the target: absolute, no control characters, the right extension. */
export function checkPackageFile(
  path: string,
  extension: '.deb' | '.rpm',
  field = 'files',
): string {
  if (!path.startsWith('/')) refuse(field, path, 'must be an absolute path');
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    refuse(field, path, 'contains control characters');
  }
  if (!path.endsWith(extension)) refuse(field, path, `must be a ${extension} file`);
  return path;
}

/** The checked files and names of an install request; refuses an empty one. */
export function checkInstallRequest(
  request: InstallRequest,
  extension: '.deb' | '.rpm',
): { files: string[]; names: string[] } {
  const files = (request.files ?? []).map((f, i) => checkPackageFile(f, extension, `files.${i}`));
  const names = request.names?.length ? checkPackageNames(request.names) : [];
  if (files.length === 0 && names.length === 0) {
    throw new AppError(
      'invalid_input',
      `nothing to install: give package names or ${extension} files`,
    );
  }
  return { files, names };
}
