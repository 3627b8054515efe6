// Input values of a run, checked against the flow's input specs. Text from the CLI
// (`--input n=3`) is converted to the input's type; every problem names the input.
import { existsSync } from 'node:fs';

import { AppError, type FieldError } from '../../shared/errors';
import type { FlowInputSpec } from '../../shared/models/flows';
import type { InventorySource } from '../fanout/exec-service';
import { resolvePattern } from '../inventory/patterns';

export const MASK = '••••••';

export function resolveInputs(
  specs: readonly FlowInputSpec[],
  given: Readonly<Record<string, string | number | boolean>>,
  inventory: InventorySource,
): Record<string, string | number | boolean> {
  const errors: FieldError[] = [];
  const out: Record<string, string | number | boolean> = {};
  const known = new Set(specs.map((s) => s.name));
  for (const k of Object.keys(given)) {
    if (!known.has(k)) errors.push({ path: `inputs.${k}`, message: 'the flow has no such input' });
  }
  const inv = () => ({ hosts: inventory.hosts(), groups: inventory.groups() });
  for (const s of specs) {
    const path = `inputs.${s.name}`;
    const raw = given[s.name] ?? s.default;
    if (raw === undefined || raw === '') {
      if (s.required) errors.push({ path, message: `"${s.title}" is required` });
      continue;
    }
    const bad = (message: string): void => void errors.push({ path, message });
    switch (s.type) {
      case 'number': {
        const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
        if (!Number.isFinite(n)) bad('must be a number');
        else if (s.min !== undefined && n < s.min) bad(`must be at least ${s.min}`);
        else if (s.max !== undefined && n > s.max) bad(`must be at most ${s.max}`);
        else out[s.name] = n;
        break;
      }
      case 'boolean': {
        const v = typeof raw === 'boolean' ? raw : String(raw).toLowerCase();
        if (v === true || v === 'true' || v === 'yes' || v === '1') out[s.name] = true;
        else if (v === false || v === 'false' || v === 'no' || v === '0') out[s.name] = false;
        else bad('must be true or false');
        break;
      }
      case 'choice':
        if (!s.choices?.includes(String(raw))) bad(`must be one of: ${s.choices?.join(', ')}`);
        else out[s.name] = String(raw);
        break;
      case 'host': {
        const name = String(raw).trim();
        if (!inventory.hosts().some((h) => h.name === name))
          bad(`there is no host named "${name}"`);
        else out[s.name] = name;
        break;
      }
      case 'host-pattern': {
        const r = resolvePattern(String(raw), inv());
        if (r.error) bad(`${r.error.message} (column ${r.error.column})`);
        else if (r.hosts.length === 0) bad(`"${String(raw)}" matches no host`);
        else out[s.name] = String(raw);
        break;
      }
      case 'file':
        if (!existsSync(String(raw))) bad(`no such file: ${String(raw)}`);
        else out[s.name] = String(raw);
        break;
      default:
        out[s.name] = String(raw);
    }
  }
  if (errors.length) {
    throw new AppError('invalid_input', errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
      fields: errors,
    });
  }
  return out;
}

/** The inputs as stored and shown: secrets left out (stored) or masked (shown). */
export function withoutSecrets(
  specs: readonly FlowInputSpec[],
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const secret = new Set(specs.filter((s) => s.type === 'secret').map((s) => s.name));
  return Object.fromEntries(Object.entries(values).filter(([k]) => !secret.has(k)));
}
