// The inputs form of a flow: initial values from the defaults, and turning what was typed into
// the `inputs` of runs.start (typed values) with one message per field that is not right.
import type { FlowInputSpec } from '@shared/models/flows';

export type FormValues = Record<string, string | boolean>;
export type InputValue = string | number | boolean;

export function initialValues(specs: readonly FlowInputSpec[]): FormValues {
  const out: FormValues = {};
  for (const s of specs) {
    if (s.type === 'boolean') out[s.name] = s.default === true || s.default === 'true';
    else if (s.type === 'secret') out[s.name] = '';
    else if (s.default !== undefined) out[s.name] = String(s.default);
    else if (s.type === 'choice' && s.required && s.choices?.[0] !== undefined)
      out[s.name] = s.choices[0];
    else out[s.name] = '';
  }
  return out;
}

export interface Collected {
  readonly inputs: Record<string, InputValue>;
  readonly errors: Record<string, string>;
}

export function collectInputs(specs: readonly FlowInputSpec[], values: FormValues): Collected {
  const inputs: Record<string, InputValue> = {};
  const errors: Record<string, string> = {};
  for (const s of specs) {
    const raw = values[s.name];
    if (s.type === 'boolean') {
      inputs[s.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? (s.type === 'secret' ? raw : raw.trim()) : '';
    if (text === '') {
      if (s.required) errors[s.name] = `${s.title || s.name} is required`;
      continue;
    }
    if (s.type === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) errors[s.name] = 'enter a number';
      else if (s.min !== undefined && n < s.min) errors[s.name] = `at least ${s.min}`;
      else if (s.max !== undefined && n > s.max) errors[s.name] = `at most ${s.max}`;
      else inputs[s.name] = n;
      continue;
    }
    if (s.type === 'choice' && s.choices && !s.choices.includes(text)) {
      errors[s.name] = `one of ${s.choices.join(', ')}`;
      continue;
    }
    inputs[s.name] = text;
  }
  return { inputs, errors };
}

/** Field errors of a refused runs.start, keyed by input name. */
export function errorsByInput(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const name = path.replace(/^inputs\./, '');
    out[name] ??= message;
  }
  return out;
}
