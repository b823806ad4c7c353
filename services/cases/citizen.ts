// What a reporter can do on their own cases from their chat: add information, see progress in
// plain words. Nobody else's case is ever visible: every lookup is keyed by the reporter's identity.
import { STATUS_LABELS_ZH } from '../../machines/case-lifecycle.js';
import type { Attachment, CaseDoc } from '../../models/case.js';
import { LIMITS } from '../../models/validation.js';
import { type ChannelIdentity, OPEN_STATUSES } from '../../models/vocabulary.js';
import { formatZhDateTime } from '../calendar/index.js';
import { ConflictError, DeskError, InvalidInputError } from '../errors.js';
import { staffZh } from '../locales/zh/cases.js';
import { applyChange, checkCaseNumber } from './change.js';
import type { CaseDeps } from './deps.js';
import { toRoom } from './notify.js';
import { isReporter } from './performer.js';
import { optionalText } from './text-input.js';

const STATUS_EN: Record<string, string> = {
  registered: 'Registered, awaiting review',
  handling: 'Being handled',
  transferred: 'Transferred to the responsible unit',
  resolved: 'Resolved, result on its way',
  replied: 'Result given, awaiting your feedback',
  rehandling: 'Being re-examined after your feedback',
  verified: 'Feedback received',
  archived: 'Closed and filed',
  withdrawn: 'Withdrawn',
  out_of_scope: 'Outside this window’s scope',
};

export interface ProgressView {
  number: string;
  matter: string;
  status: string;
  statusLabel: string;
  acceptedAt: string;
  /** Public timeline lines, oldest first, in citizen wording. */
  lines: string[];
}

function progressOf(doc: CaseDoc): ProgressView {
  const en = doc.reporter.locale === 'en';
  return {
    number: doc.number,
    matter: doc.matter,
    status: doc.status,
    statusLabel: en ? STATUS_EN[doc.status] : STATUS_LABELS_ZH[doc.status],
    acceptedAt: formatZhDateTime(doc.acceptedAt),
    lines: doc.timeline.filter((t) => t.public).map((t) => `${formatZhDateTime(t.at)}　${t.publicText ?? t.text}`),
  };
}

const ownFilter = (identity: ChannelIdentity) => ({
  'reporter.identity.channel': String(identity.channel),
  'reporter.identity.id': String(identity.id),
});

/** The reporter's cases, newest first. */
export async function myCases(deps: CaseDeps, identity: ChannelIdentity, opts: { openOnly?: boolean; limit?: number } = {}) {
  const filter = { ...ownFilter(identity), ...(opts.openOnly ? { status: { $in: OPEN_STATUSES } } : {}) };
  const docs = await deps.models.Case.find(filter).sort({ acceptedAt: -1 }).limit(Math.min(opts.limit ?? 10, 50)).lean<CaseDoc[]>().exec();
  return docs.map(progressOf);
}

/** Progress of one case, only for its reporter; anyone else is told it is not theirs (without saying whether it exists). */
export async function progress(deps: CaseDeps, identity: ChannelIdentity, number: string): Promise<ProgressView | null> {
  let n: string;
  try {
    n = checkCaseNumber(number);
  } catch {
    return null;
  }
  const doc = await deps.models.Case.findOne({ number: n, ...ownFilter(identity) }).lean<CaseDoc>().exec();
  return doc ? progressOf(doc) : null;
}

export interface SupplementInput {
  text?: string;
  attachments?: Attachment[];
}

/**
 * Adds what the citizen sends after submitting to their case. A system append, so it retries on
 * a version conflict instead of asking the citizen to try again.
 */
export async function addSupplement(deps: CaseDeps, identity: ChannelIdentity, number: string, input: SupplementInput, idempotencyKey?: string) {
  const text = optionalText(input.text, 'text', '补充内容', LIMITS.accountMax);
  const attachments = (input.attachments ?? []).slice(0, LIMITS.attachmentsMax);
  if (!text && attachments.length === 0) throw new InvalidInputError('text', '补充内容为空。');
  const own = await deps.models.Case.findOne({ number: checkCaseNumber(number), ...ownFilter(identity) }).lean<CaseDoc>().exec();
  if (!own || !isReporter(own, identity)) throw new DeskError('forbidden', `您无权查看或操作事项 ${String(number).slice(0, 20)}。`);
  if (!OPEN_STATUSES.includes(own.status)) throw new DeskError('illegal_transition', `事项 ${own.number} 当前状态：${STATUS_LABELS_ZH[own.status]}，不能再补充。如有新问题，请重新反映。`);
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyChange(
        deps,
        own.number,
        { kind: 'system' },
        {
          async build({ doc, batch, now }) {
            await toRoom(batch, doc, staffZh.supplement({ number: doc.number }), 'case.supplement');
            return {
              push: {
                handling: [{ at: now, by: { kind: 'citizen', id: 'reporter', label: '诉求人' }, kind: 'supplement', text: text ?? '（附件）', attachments }],
                ...(attachments.length ? { attachments } : {}),
              },
              timeline: [{ type: 'supplement', text: `诉求人补充${attachments.length ? `（附件 ${attachments.length} 个）` : ''}：${text ?? ''}`, public: true, publicText: '您补充了材料' }],
            };
          },
        },
        { idempotencyKey },
      );
    } catch (e) {
      if (e instanceof ConflictError && attempt < 5) continue;
      throw e;
    }
  }
}
