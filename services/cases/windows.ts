// 进驻窗口: "巡导员及时向相关窗口了解情况，协调窗口做好答复"; "相关科室、进驻窗口负责配合". The
// duty officer asks a stationed window about a general or complex case; the window's liaison
// gets the question in their own channel and answers; question and answer stay on the case.
// The window may be the one complained about, so it reads the case through the privacy rule.
import { Types } from 'mongoose';
import type { CaseDoc } from '../../models/case.js';
import { ConflictError, DeskError, InvalidInputError } from '../errors.js';
import { staffZh } from '../locales/zh/cases.js';
import { redactFor } from '../privacy.js';
import { type ChangeOptions, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { say, toRole, toRoom } from './notify.js';
import { type Performer, actorOf } from './performer.js';
import { requireText } from './text-input.js';

/** The situations in which the source has the duty officer consult the windows. */
const ASKABLE = ['GENERAL', 'COMPLEX'] as const;

export function askWindow(deps: CaseDeps, number: string, input: { unit: string; question: string }, p: Performer, opts?: ChangeOptions) {
  const question = requireText(input.question, 'question', '询问内容', { min: 4, max: 1000 });
  return applyChange(
    deps,
    number,
    p,
    {
      action: 'recordHandling',
      async build({ doc, batch, now, directory }) {
        if (doc.status !== 'handling' || !ASKABLE.includes(doc.lifecycle.category as (typeof ASKABLE)[number]))
          throw new DeskError('illegal_transition', `事项 ${doc.number} 不是处办中的一般性或较复杂情形，不需要向进驻窗口了解情况。`);
        const unit = await directory.unit(input.unit);
        if (unit.kind !== 'stationed_window' || unit.site !== doc.site)
          throw new InvalidInputError('unit', `${unit.name} 不是本中心的进驻窗口。`);
        if (!unit.liaisons.length) throw new InvalidInputError('unit', `${unit.name} 没有登记联络员，请电话联系窗口。`);
        const viewer = { kind: 'unit' as const, unit: unit._id };
        const questionId = new Types.ObjectId().toString();
        await batch.add(
          { kind: 'unit', unit: unit._id },
          say(
            staffZh.windowQuestion({
              number: doc.number,
              matter: redactFor(doc, viewer, doc.matter),
              account: redactFor(doc, viewer, doc.account),
              question: redactFor(doc, viewer, question),
            }),
          ),
          { reason: 'unit.window_question' },
        );
        return {
          push: { handling: [{ kind: 'window_question', text: question, windows: [unit._id], questionId, at: now, by: actorOf(p) }] },
          timeline: [{ type: 'window_question', text: `向${unit.name}了解情况：${question}`, public: false }],
        };
      },
    },
    opts,
  );
}

/** The question a window still owes an answer to, newest first. */
function openQuestion(doc: CaseDoc, unit: string) {
  const answered = new Set(doc.handling.filter((h) => h.kind === 'window_answer').map((h) => h.questionId));
  return [...doc.handling].reverse().find((h) => h.kind === 'window_question' && h.windows?.includes(unit) && !answered.has(h.questionId));
}

/** A stationed window's liaison answers; the answer lands in the case and the duty officer hears of it. */
export async function answerWindow(deps: CaseDeps, number: string, text: string, p: Performer) {
  const answer = requireText(text, 'text', '答复内容', { min: 4, max: 2000 });
  if (p.kind !== 'staff' || !p.staff.unit) throw new DeskError('forbidden', '只有进驻窗口的联络员可以答复窗口询问。');
  const unitCode = p.staff.unit;
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyChange(deps, number, p, {
        async build({ doc, batch, now, directory }) {
          if (p.staff.active === false) throw new DeskError('forbidden', `${p.staff.name} 已不在工作人员名录中。`);
          const q = openQuestion(doc, unitCode);
          if (!q) throw new DeskError('conflict', `事项 ${doc.number} 没有向您所在窗口提出的待答复询问。`);
          const unit = await directory.unit(unitCode);
          // What a window writes about the citizen is for the duty officer; keep identity out anyway.
          const clean = redactFor(doc, { kind: 'unit', unit: unitCode }, answer);
          const duty = await directory.dutyOfficer(doc.site, now);
          const note = staffZh.windowAnswered({ number: doc.number, unit: unit.name, answer: clean });
          if (duty) await batch.add({ kind: 'staff', staff: duty.staff }, say(note), { reason: 'case.window_answer' });
          else await toRole(batch, directory, doc, 'duty_officer', note, 'case.window_answer');
          await toRoom(batch, doc, note, 'case.window_answer_room');
          return {
            push: { handling: [{ kind: 'window_answer', text: clean, windows: [unitCode], questionId: q.questionId, at: now, by: actorOf(p) }] },
            timeline: [{ type: 'window_answer', text: `${unit.name}答复：${clean}`, public: false }],
          };
        },
      });
    } catch (e) {
      if (e instanceof ConflictError && attempt < 5) continue;
      throw e;
    }
  }
}
