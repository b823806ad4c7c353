// 回访 → 核查 → 备案. Dissatisfied goes to 效能督查科, which answers within 2 working days; the
// loop runs again until the citizen is satisfied or withdraws. Then the case is archived.
import { type ChannelIdentity, SATISFACTION, type Satisfaction } from '../../models/vocabulary.js';
import { formatZhDateTime } from '../calendar/index.js';
import { ConflictError, DeskError, InvalidInputError } from '../errors.js';
import { SATISFACTION_ZH, staffZh } from '../locales/zh/cases.js';
import { type ChangeOptions, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { citizenCopy, citizenDue, say, toReporter, toRole, toRoom } from './notify.js';
import { type Performer, actorOf, isReporter } from './performer.js';
import { optionalText, requireText } from './text-input.js';

/** 效能督查科会同相关部门在 2 个工作日内分析问题并回应诉求. */
export const REHANDLING_WORKING_DAYS = 2;

export function recordFollowUp(
  deps: CaseDeps,
  number: string,
  input: { satisfaction: Satisfaction; comment?: string },
  p: Performer,
  opts?: ChangeOptions,
) {
  if (!SATISFACTION.includes(input.satisfaction))
    throw new InvalidInputError('satisfaction', `评价无效。可选：${SATISFACTION.map((s) => SATISFACTION_ZH[s]).join('、')}。`);
  const comment = optionalText(input.comment, 'comment', '意见', 2000);
  const byCitizen = p.kind === 'citizen';
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'FOLLOW_UP', satisfaction: input.satisfaction },
      async build({ doc, batch, now, directory }) {
        const n = doc.number;
        const copy = citizenCopy(doc);
        const round = doc.followUps.length + 1;
        const label = SATISFACTION_ZH[input.satisfaction];
        const timeline = [
          {
            type: 'follow_up',
            text: `回访（第 ${round} 次，${byCitizen ? '诉求人线上评价' : '窗口回访'}）：${label}${comment ? `。意见：${comment}` : ''}`,
            public: true,
            publicText: `回访评价：${label}`,
          },
        ];
        const followUp = { at: now, by: actorOf(p), round, satisfaction: input.satisfaction, comment };
        if (input.satisfaction === 'dissatisfied') {
          const due = deps.calendar.addWorkingDays(now, REHANDLING_WORKING_DAYS);
          const dueText = formatZhDateTime(due.at);
          await toRole(batch, directory, doc, 'supervision', staffZh.dissatisfied({ number: n, due: dueText, comment }), 'case.dissatisfied');
          await toRoom(batch, doc, staffZh.dissatisfied({ number: n, due: dueText }), 'case.dissatisfied_room');
          // A citizen who rated in the chat is answered by the dialogue itself; a phoned-in rating is confirmed here.
          if (!byCitizen) await toReporter(batch, doc, say(copy.followUpDissatisfied({ number: n, due: citizenDue(doc, due) })), 'citizen.dissatisfied');
          return {
            push: { followUps: [followUp] },
            timeline,
            deadlines: { open: { rehandling: { at: due.at, provisional: due.provisional } }, meet: ['followUp'] },
          };
        }
        await toRoom(batch, doc, staffZh.verified({ number: n, satisfaction: label }), 'case.verified');
        if (!byCitizen) await toReporter(batch, doc, say(copy.followUpThanks({ number: n })), 'citizen.follow_up_thanks');
        return { push: { followUps: [followUp] }, timeline, deadlines: { meet: ['followUp'] } };
      },
    },
    opts,
  );
}

/**
 * The citizen's words after rating: kept on the rating itself, whatever the case's status by then
 * (a satisfied case may be archived before the comment arrives, and must not lose it). For a
 * dissatisfied round, supervision hears the words as well.
 */
export async function addFollowUpComment(deps: CaseDeps, identity: ChannelIdentity, number: string, text: string) {
  const comment = requireText(text, 'comment', '意见', { max: 2000 });
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyChange(deps, number, { kind: 'system' }, {
        async build({ doc, batch, directory }) {
          if (!isReporter(doc, identity)) throw new DeskError('forbidden', `您无权查看或操作事项 ${doc.number}。`);
          const i = doc.followUps.length - 1;
          if (i < 0) throw new DeskError('illegal_transition', `事项 ${doc.number} 还没有回访评价。`);
          const last = doc.followUps[i];
          const joined = last.comment ? `${last.comment}；${comment}` : comment;
          // The room (the case's topic) reads it as it read a supplement; supervision, handling a
          // dissatisfied round, hears it in person too.
          await toRoom(batch, doc, staffZh.followUpComment({ number: doc.number, comment }), 'case.follow_up_comment_room');
          if (last.satisfaction === 'dissatisfied' && doc.status === 'rehandling')
            await toRole(batch, directory, doc, 'supervision', staffZh.followUpComment({ number: doc.number, comment }), 'case.follow_up_comment');
          return {
            set: { [`followUps.${i}.comment`]: joined },
            timeline: [{ type: 'follow_up_comment', text: `诉求人回访意见（第 ${last.round} 次）：${comment}`, public: false }],
          };
        },
      });
    } catch (e) {
      if (e instanceof ConflictError && attempt < 5) continue;
      throw e;
    }
  }
}

export function archive(deps: CaseDeps, number: string, p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'ARCHIVE' },
      async build({ doc, batch }) {
        await toRoom(batch, doc, staffZh.archived({ number: doc.number }), 'case.archived');
        await toReporter(batch, doc, say(citizenCopy(doc).archived({ number: doc.number })), 'citizen.archived');
        return { timeline: [{ type: 'archived', text: '备案归档', public: true, publicText: '已办结归档' }] };
      },
    },
    opts,
  );
}

export function withdraw(deps: CaseDeps, number: string, reason: string | undefined, p: Performer, opts?: ChangeOptions) {
  const why = optionalText(reason, 'reason', '撤回原因', 500);
  const byCitizen = p.kind === 'citizen';
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'WITHDRAW' },
      async build({ doc, batch }) {
        await toRoom(batch, doc, staffZh.withdrawn({ number: doc.number, by: byCitizen ? '诉求人' : '窗口（代诉求人）' }), 'case.withdrawn');
        // A citizen who withdrew in the chat is answered by the dialogue; a withdrawal at the window is confirmed here.
        if (!byCitizen) await toReporter(batch, doc, say(citizenCopy(doc).withdrawn({ number: doc.number })), 'citizen.withdrawn');
        return {
          timeline: [{ type: 'withdrawn', text: `撤回${byCitizen ? '（诉求人本人）' : '（窗口代办）'}${why ? `：${why}` : ''}`, public: true, publicText: '已撤回' }],
        };
      },
    },
    opts,
  );
}
