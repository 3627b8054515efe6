// The flow file format (YAML), as one zod schema: the source of the JSON Schema published in
// resources/schemas/flow.schema.json (kept in step by flow-schema.spec.ts).
import { z } from 'zod';

import { FLOW_INPUT_TYPES } from '../../shared/models/flows';

const Name = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    'a name: letters, digits, "_" and "-", not starting with a digit',
  );

/** Seconds as a number, or text like `500ms`, `30s`, `5m`, `1h`. */
export const DurationSchema = z
  .union([
    z.number().positive(),
    z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration like 500ms, 30s, 5m or 1h'),
  ])
  .describe('Seconds, or a duration like 500ms, 30s, 5m, 1h');

export function durationMs(d: number | string): number {
  if (typeof d === 'number') return d * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d) as RegExpExecArray;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return n * unit;
}

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const FlowInputDefSchema = z
  .object({
    type: z.enum(FLOW_INPUT_TYPES),
    title: z.string().optional(),
    description: z.string().optional(),
    /** Default: required unless a default is given. */
    required: z.boolean().optional(),
    default: Scalar.optional(),
    choices: z.array(z.string()).min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .describe('One input of the flow (the inputs form draws a field for it)');

export const RetriesSchema = z.union([
  z.number().int().min(0).max(100),
  z
    .object({
      count: z.number().int().min(0).max(100).describe('Retries after the first try'),
      backoff: DurationSchema.optional().describe(
        'Wait before the first retry (default 1s), doubled for each further retry',
      ),
    })
    .strict(),
]);

export const FlowStepSchema = z
  .object({
    id: Name.describe('Unique in the flow; later steps use ${steps.<id>.outputs.<name>}'),
    title: z.string().optional(),
    kind: z.string().min(1).describe('The step kind: exec, upload, wait-for-ssh, confirm, note, …'),
    on: z.string().min(1).optional().describe('The hosts: an inventory pattern (may use ${…})'),
    with: z.record(z.string(), z.unknown()).optional().describe("The kind's parameters"),
    needs: z
      .union([Name, z.array(Name)])
      .optional()
      .describe('Steps that must succeed first'),
    when: z.union([z.string(), z.boolean()]).optional().describe('Run only when this is true'),
    retries: RetriesSchema.optional(),
    timeout: DurationSchema.optional().describe('Per try; the step fails when it passes'),
    'continue-on-error': z.boolean().optional(),
    say: z.string().optional().describe('Narration for presenters'),
    outputs: z
      .record(Name, z.string())
      .optional()
      .describe("Named values from the kind's result (`${result.…}`) for later steps"),
  })
  .strict();

export const FlowSchema = z
  .object({
    id: Name,
    title: z.string().min(1),
    description: z.string().optional(),
    inputs: z.record(Name, FlowInputDefSchema).optional(),
    vars: z.record(Name, z.unknown()).optional(),
    steps: z.array(FlowStepSchema).min(1, 'a flow needs at least one step'),
  })
  .strict()
  .describe('A StarlingX Lab Console flow (guided runbook)');

export type FlowDoc = z.output<typeof FlowSchema>;
export type FlowStepDoc = z.output<typeof FlowStepSchema>;

/** What the published schema needs of a step kind. */
export interface KindSchemaSource {
  readonly name: string;
  readonly summary: string;
  readonly params: z.ZodType;
}

/**
 * The JSON Schema published for editors: the flow format, and for every kind given, its `with`
 * parameters (if `kind` is X then `with` follows X's schema), so editors complete and check them.
 */
export function flowJsonSchema(kinds: readonly KindSchemaSource[] = []): Record<string, unknown> {
  const base = z.toJSONSchema(FlowSchema, { io: 'input', target: 'draft-2020-12' }) as unknown as {
    properties: { steps: { items: Record<string, unknown> } };
  };
  if (kinds.length > 0) {
    const items = base.properties.steps.items;
    const props = items.properties as Record<string, Record<string, unknown>>;
    props.kind = { ...props.kind, examples: kinds.map((k) => k.name) };
    items.allOf = kinds.map((k) => {
      const params = {
        ...(z.toJSONSchema(k.params, {
          io: 'input',
          target: 'draft-2020-12',
          unrepresentable: 'any',
        }) as Record<string, unknown>),
      };
      delete params.$schema;
      return {
        if: { properties: { kind: { const: k.name } }, required: ['kind'] },
        then: { properties: { with: { description: k.summary, ...params } } },
      };
    });
  }
  return {
    ...base,
    $id: 'https://starlingx.io/lab-console/schemas/flow.schema.json',
    title: 'StarlingX Lab Console flow',
  };
}
