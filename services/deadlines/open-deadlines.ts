// The deadlines a case still has to meet, flattened: one per open case-level deadline, and one
// per transfer slip still waiting for the unit's reply (a case may be with several units).
import type { CaseDoc, DeadlineKind } from '../../models/case.js';
import { OPEN_STATUSES } from '../../models/vocabulary.js';

export interface OpenDeadline {
  kind: DeadlineKind;
  at: Date;
  provisional: boolean;
  /** Stable name of this deadline instance; a deadline moved to another date is a new one. */
  id: string;
  slip?: { number: string; unit: string; transferredAt: Date };
}

/** One office hour after acceptance: the duty officer is expected to have classified by then. */
export const CLASSIFY_OFFICE_HOURS = 1;

export function openDeadlines(c: CaseDoc): OpenDeadline[] {
  if (!OPEN_STATUSES.includes(c.status)) return [];
  const out: OpenDeadline[] = [];
  const d = c.deadlines ?? {};
  const push = (kind: DeadlineKind, at: Date, provisional: boolean) =>
    out.push({ kind, at, provisional, id: `${kind}@${at.toISOString()}` });

  if (d.classify && !d.classify.metAt) push('classify', d.classify.at, d.classify.provisional);
  if (d.firstFeedback && !d.firstFeedback.metAt) push('firstFeedback', d.firstFeedback.at, d.firstFeedback.provisional);
  const waiting = (c.transfers ?? []).filter((s) => s.state !== 'replied' && !s.reply);
  if (waiting.length) {
    for (const s of waiting) {
      out.push({
        kind: 'unitReply',
        at: s.replyDueAt,
        provisional: s.replyDueProvisional,
        id: `unitReply:${s.number}@${s.replyDueAt.toISOString()}`,
        slip: { number: s.number, unit: s.unit, transferredAt: s.transferredAt },
      });
    }
  } else if (d.unitReply && !d.unitReply.metAt && !(c.transfers ?? []).length) {
    push('unitReply', d.unitReply.at, d.unitReply.provisional);
  }
  if (d.followUp && !d.followUp.metAt) push('followUp', d.followUp.at, d.followUp.provisional);
  if (d.rehandling && !d.rehandling.metAt) push('rehandling', d.rehandling.at, d.rehandling.provisional);
  return out;
}
