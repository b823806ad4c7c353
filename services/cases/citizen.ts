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
 * What one case takes from its citizen's chat. One chat could otherwise push its own case past
 * what the store returns (about 580 supplements of 5,000 characters), with every supplement
 * rewriting an ever larger document; beyond these the citizen is told what to do instead.
 */
export const SUPPLEMENT_LIMITS = {
  perCase: 100,
  perDay: 30,
  /** Longer text is kept as a file outside the case document; the case holds its opening words. */
  inlineChars: 2000,
  /** All supplement text kept inside the case document. */
  totalInlineChars: 60_000,
} as const;
const EXCERPT_CHARS = 200;

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
            const kept = await withinBounds(deps, doc, now, text);
            await toRoom(batch, doc, staffZh.supplement({ number: doc.number }), 'case.supplement');
            const files = kept.file ? [kept.file] : [];
            return {
              push: {
                handling: [
                  { at: now, by: { kind: 'citizen', id: 'reporter', label: '诉求人' }, kind: 'supplement', text: kept.text ?? '（附件）', attachments: [...attachments, ...files] },
                ],
                ...(attachments.length ? { attachments } : {}),
              },
              timeline: [
                {
                  type: 'supplement',
                  text: `诉求人补充${attachments.length + files.length ? `（附件 ${attachments.length + files.length} 个）` : ''}：${kept.text ?? ''}`,
                  public: true,
                  publicText: '您补充了材料',
                },
              ],
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

/**
 * Checks a supplement against SUPPLEMENT_LIMITS. Text too long for the case document goes into
 * the attachment store (the case keeps its opening words and the file); without a store, or
 * when the case already holds as much as it may, the citizen is told plainly.
 */
async function withinBounds(deps: CaseDeps, doc: CaseDoc, now: Date, text: string | undefined): Promise<{ text?: string; file?: Attachment }> {
  const supplements = doc.handling.filter((h) => h.kind === 'supplement');
  const L = SUPPLEMENT_LIMITS;
  if (supplements.length >= L.perCase)
    throw new DeskError('invalid_input', `事项 ${doc.number} 已收到 ${L.perCase} 条补充，已达上限。更多材料请带到窗口或电话告知承办人员。`);
  const today = deps.calendar.localDate(now);
  if (supplements.filter((h) => deps.calendar.localDate(h.at) === today).length >= L.perDay)
    throw new DeskError('invalid_input', `事项 ${doc.number} 今天已收到 ${L.perDay} 条补充，请明天再发，或把要说的合在一条里。`);
  if (!text) return {};
  const inline = supplements.reduce((n, h) => n + h.text.length, 0);
  const length = Array.from(text).length;
  if (length <= L.inlineChars && inline + text.length <= L.totalInlineChars) return { text };
  if (!deps.attachments)
    throw new DeskError('invalid_input', `补充内容过长（${length} 字），请控制在 ${L.inlineChars} 字以内，或分几次发送。`);
  const kept = await deps.attachments.keep(Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8');
  const file: Attachment = { kind: 'file', ref: kept.ref, name: `补充材料-${deps.calendar.localDate(now)}.txt`, mime: 'text/plain', size: kept.size };
  return { text: `${Array.from(text).slice(0, EXCERPT_CHARS).join('')}……（全文 ${length} 字，见附件 ${file.name}）`, file };
}
