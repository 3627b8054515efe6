// Step kind `note`: text for the people following the run (presenters, reports); always succeeds.
import { z } from 'zod';

import type { StepKind } from './kind';

export const NoteParams = z
  .object({
    /** Shown in the log and the reports (the step's `say` is the narration). */
    text: z.string().default(''),
  })
  .strict();

export const noteKind: StepKind<z.output<typeof NoteParams>> = {
  name: 'note',
  summary: 'A note in the run (no host, no command); always succeeds.',
  params: NoteParams,
  needsHosts: false,
  run(p, ctx) {
    for (const line of p.text.split('\n')) if (line.trim()) ctx.log(line, { stream: 'info' });
    return Promise.resolve({
      ok: true,
      summary: p.text.split('\n')[0] ?? '',
      outputs: { text: p.text },
    });
  },
};
