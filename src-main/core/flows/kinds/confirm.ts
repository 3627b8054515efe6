// Step kind `confirm`: a person confirms (the run waits in state `waiting`); their evidence text
// is stored with the run and shown in reports. Refused → the step fails.
import { z } from 'zod';

import type { StepKind } from './kind';

export const ConfirmParams = z
  .object({
    /** The question, e.g. "Is the BMC console showing the installer?". */
    prompt: z.string().min(1),
  })
  .strict();

export const confirmKind: StepKind<z.output<typeof ConfirmParams>> = {
  name: 'confirm',
  summary: 'A person confirms (with evidence text); the run waits until they answer.',
  params: ConfirmParams,
  needsHosts: false,
  async run(p, ctx) {
    if (!ctx.confirm) return { ok: false, summary: 'nobody can confirm here', outputs: {} };
    ctx.log(`waiting for a person: ${p.prompt}`, { stream: 'info' });
    const a = await ctx.confirm(p.prompt);
    return {
      ok: a.accepted && !ctx.signal.aborted,
      summary: a.accepted ? `confirmed: ${a.evidence}` : `refused: ${a.evidence}`,
      outputs: { accepted: a.accepted, evidence: a.evidence },
    };
  },
};
