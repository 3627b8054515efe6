// Safe broadcast: the same input to many terminals, except those at a secret prompt (unless
// allowed) and, for a line the shared destructive check flags, all of them until confirmed.
import type { BroadcastReport, BroadcastResult } from '../../shared/models/terminals';
import { inputVerdict } from '../../shared/terminal-destructive';
import type { AuditEntry } from '../store/audit';
import type { TerminalSession } from './session';

export interface BroadcastInput {
  readonly ids: readonly string[];
  readonly data: string;
  readonly allowSecretPrompt: boolean;
  readonly confirmed: boolean;
}

/** Sends what may be sent; returns the report and the audit entry (never secret input). */
export function broadcast(
  sessions: ReadonlyMap<string, TerminalSession>,
  input: BroadcastInput,
  actor: string,
): { report: BroadcastReport; entry: AuditEntry } {
  const results: BroadcastResult[] = [];
  let secretTarget = false;
  const rules = new Set<string>();
  for (const id of new Set(input.ids)) {
    const s = sessions.get(id);
    if (!s || s.closed) {
      results.push({ id, status: 'skipped', reason: 'closed' });
      continue;
    }
    if (s.promptSecret && !input.allowSecretPrompt) {
      results.push({ id, status: 'skipped', reason: 'secret-prompt' });
      continue;
    }
    const verdict = inputVerdict(s.pendingLine, input.data);
    for (const m of verdict.matches) rules.add(m.rule);
    if (verdict.matches.length > 0 && !input.confirmed) {
      results.push({
        id,
        status: 'skipped',
        reason: 'needs-confirmation',
        matches: verdict.matches,
      });
      continue;
    }
    if (s.promptSecret) secretTarget = true;
    s.input(input.data);
    results.push({ id, status: 'sent' });
  }
  const sent = results.filter((r) => r.status === 'sent');
  const entry: AuditEntry = {
    actor,
    action: 'terminal.broadcast',
    target: sent.map((r) => sessions.get(r.id)?.info().host ?? r.id).join(',') || '(none)',
    detail: {
      sent: sent.map((r) => r.id),
      skipped: results.flatMap((r) => (r.status === 'skipped' ? [`${r.id}:${r.reason}`] : [])),
      // Input typed at a password prompt is never recorded.
      ...(secretTarget
        ? { data: null, redacted: 'a target was at a secret prompt' }
        : { data: input.data.slice(0, 500) }),
      destructive: [...rules],
      confirmed: input.confirmed,
    },
  };
  return { report: { results, sent: sent.length, skipped: results.length - sent.length }, entry };
}
