// 反馈: progress feedback on the day of acceptance, and the result once the case is resolved.
// Giving the result also asks the citizen the follow-up question in their chat, so the 回访 can
// be answered there; the clerk can still call and record it within 5 working days.
import { SATISFACTION } from '../../models/vocabulary.js';
import { formatZhDateTime } from '../calendar/index.js';
import { InvalidInputError } from '../errors.js';
import { SATISFACTION_EN } from '../locales/en/cases.js';
import { SATISFACTION_ZH, staffZh } from '../locales/zh/cases.js';
import { type ChangeOptions, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { ask, citizenCopy, say, toReporter, toRoom } from './notify.js';
import { actorOf, type Performer } from './performer.js';
import { optionalText, requireText } from './text-input.js';

/** 在 5 个工作日内进行跟踪回访. */
export const FOLLOW_UP_WORKING_DAYS = 5;

/** Choice ids of the follow-up question: `fu:<case number>:<satisfaction>`. */
export const followUpChoiceId = (number: string, s: string) => `fu:${number}:${s}`;
export function parseFollowUpChoice(id: string) {
  const m = /^fu:([A-Z]{0,4}\d{11,14}):(satisfied|basically_satisfied|dissatisfied)$/.exec(id);
  return m ? { number: m[1], satisfaction: m[2] as (typeof SATISFACTION)[number] } : null;
}

export function firstFeedback(deps: CaseDeps, number: string, text: string, p: Performer, opts?: ChangeOptions) {
  const t = requireText(text, 'text', '反馈内容', { min: 4 });
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'FIRST_FEEDBACK' },
      async build({ doc, batch, now }) {
        const sent = await toReporter(batch, doc, say(citizenCopy(doc).firstFeedback({ number: doc.number, text: t })), 'citizen.first_feedback');
        return {
          push: { replies: [{ at: now, by: actorOf(p), kind: doc.replies.length ? 'progress' : 'first_feedback', text: t }] },
          timeline: [
            {
              type: 'feedback',
              text: `向诉求人反馈进度${sent ? '' : '（诉求人非线上渠道，请电话告知）'}：${t}`,
              public: true,
              publicText: `进度反馈：${t}`,
            },
          ],
          deadlines: { meet: ['firstFeedback'] },
        };
      },
    },
    opts,
  );
}

export function reply(deps: CaseDeps, number: string, text: string | undefined, p: Performer, opts?: ChangeOptions) {
  const given = optionalText(text, 'text', '反馈内容');
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'REPLY' },
      async build({ doc, batch, now }) {
        if (!doc.outcome) throw new InvalidInputError('outcome', `事项 ${doc.number} 还没有办理结果。`);
        const body = given ?? doc.outcome.text;
        const copy = citizenCopy(doc);
        const { kind, basis } = doc.outcome;
        // A "no" goes out as what it is: the refusal notice, or the result with the remedies.
        const result =
          kind === 'refused' && basis
            ? copy.refusalNotice({ number: doc.number, text: body, basis })
            : kind === 'ineligible' && basis
              ? copy.ineligibleResult({ number: doc.number, text: body, basis })
              : copy.result({ number: doc.number, text: body, basis });
        const sent = await toReporter(batch, doc, say(result), 'citizen.result');
        const labels = doc.reporter.locale === 'en' ? SATISFACTION_EN : SATISFACTION_ZH;
        await toReporter(
          batch,
          doc,
          ask(
            copy.followUpAsk({ number: doc.number }),
            SATISFACTION.map((s) => ({ id: followUpChoiceId(doc.number, s), label: labels[s] })),
          ),
          'citizen.follow_up',
        );
        // The follow-up clock already runs (from acceptance, or from the unit's result once a slip
        // went out); giving the result does not restart it. A new round after rehandling starts one.
        const open = doc.deadlines?.followUp && !doc.deadlines.followUp.metAt ? doc.deadlines.followUp : null;
        const due = open ?? deps.calendar.addWorkingDays(now, FOLLOW_UP_WORKING_DAYS);
        await toRoom(batch, doc, staffZh.replied({ number: doc.number, due: formatZhDateTime(due.at) }), 'case.replied');
        return {
          push: { replies: [{ at: now, by: actorOf(p), kind: doc.lifecycle.rehandlingRounds ? 'rehandling_result' : 'result', text: body }] },
          timeline: [
            {
              type: 'replied',
              text: `反馈办理结果${sent ? '' : '（诉求人非线上渠道，请电话告知）'}：${body}`,
              public: true,
              publicText: `办理结果：${body}`,
            },
          ],
          deadlines: { ...(open ? {} : { open: { followUp: { at: due.at, provisional: due.provisional } } }), meet: ['firstFeedback'] },
        };
      },
    },
    opts,
  );
}
