// What this staff member can do next on a case: complete commands become choices (buttons on
// Telegram, numbered lines elsewhere), commands that need typed text become templates to copy,
// and steps that belong to another role are named so nobody waits on the wrong person.
import { type CaseEvent, type CaseEventType, EVENT_LABELS_ZH } from '../../machines/case-lifecycle.js';
import { ROLE_LABELS_ZH, actionFor, can, rolesFor } from '../../machines/permissions.js';
import type { StaffDoc } from '../../models/staff.js';
import type { UnitDoc } from '../../models/unit.js';
import { CATEGORIES, type CaseStatus, type Category, SATISFACTION } from '../../models/vocabulary.js';
import type { Choice } from '../../models/sayable.js';
import { CATEGORY_ZH, SATISFACTION_ZH } from '../locales/zh/cases.js';
import { COMMAND_HELP_ZH } from '../locales/zh/staff-commands.js';
import { CHOICE_PREFIX } from './parse.js';
import { CATEGORY_SHORT, VERBS, type VerbKey } from './words.js';

export interface NextSteps {
  choices: Choice[];
  /** Command forms with `#编号` filled in, for steps that need typed text. */
  templates: string[];
  /** Main-flow steps that other roles take: '转办（业务协调科）'. */
  others: string[];
}

const SAMPLE: Record<CaseEventType, CaseEvent> = {
  CLASSIFY: { type: 'CLASSIFY', category: 'GENERAL' },
  RECLASSIFY: { type: 'RECLASSIFY', category: 'GENERAL' },
  MARK_OUT_OF_SCOPE: { type: 'MARK_OUT_OF_SCOPE' },
  RECORD: { type: 'RECORD', kind: 'note' },
  FLAG_AGITATED: { type: 'FLAG_AGITATED' },
  CALMED: { type: 'CALMED' },
  TRANSFER: { type: 'TRANSFER' },
  UNIT_ACK: { type: 'UNIT_ACK' },
  UNIT_REPLY: { type: 'UNIT_REPLY' },
  RESOLVE: { type: 'RESOLVE', outcome: 'handled', hasBasis: false },
  FIRST_FEEDBACK: { type: 'FIRST_FEEDBACK' },
  REPLY: { type: 'REPLY' },
  FOLLOW_UP: { type: 'FOLLOW_UP', satisfaction: 'satisfied' },
  ARCHIVE: { type: 'ARCHIVE' },
  WITHDRAW: { type: 'WITHDRAW' },
};

/** Steps worth naming when someone else must take them. */
const MAIN_FLOW: readonly CaseEventType[] = ['CLASSIFY', 'CALMED', 'TRANSFER', 'UNIT_ACK', 'UNIT_REPLY', 'RESOLVE', 'REPLY', 'FOLLOW_UP', 'ARCHIVE'];

/** A command text on a case, as typed: `#20261124001 分类 一般`. */
export const caseCommand = (number: string, verb: VerbKey, ...args: string[]) => [`#${number}`, VERBS[verb].zh[0], ...args].join(' ');
export const choiceOf = (command: string, label: string): Choice => ({ id: `${CHOICE_PREFIX}${command}`, label });
const template = (number: string, verb: VerbKey) => COMMAND_HELP_ZH[verb].form.replace('#编号', `#${number}`);

export function nextSteps(p: {
  number: string;
  status: CaseStatus;
  category: Category | null;
  events: readonly CaseEventType[];
  staff: StaffDoc;
  /** Units a NOT_STATIONED case may go to, offered as one choice each. */
  transferUnits: readonly UnitDoc[];
  /** Some transfer slip is still waiting to be signed for. */
  awaitingAck: boolean;
}): NextSteps {
  const { number: n, staff } = p;
  const out: NextSteps = { choices: [], templates: [], others: [] };
  for (const e of p.events) {
    // The lifecycle accepts a repeated 签收; offering it again would only confuse.
    if (e === 'UNIT_ACK' && !p.awaitingAck) continue;
    const action = actionFor(SAMPLE[e], p.status);
    const ctx = { category: p.category };
    if (!can(staff.roles, action, ctx)) {
      if (MAIN_FLOW.includes(e)) {
        const who = rolesFor(action, ctx).map((r) => ROLE_LABELS_ZH[r]);
        if (who.length) out.others.push(`${EVENT_LABELS_ZH[e]}（${who.join('、')}）`);
      }
      continue;
    }
    switch (e) {
      case 'CLASSIFY':
        for (const c of CATEGORIES) out.choices.push(choiceOf(caseCommand(n, 'classify', CATEGORY_SHORT[c]), `分类：${CATEGORY_ZH[c]}`));
        break;
      case 'RECLASSIFY':
        out.templates.push(template(n, 'reclassify'));
        break;
      case 'TRANSFER':
        if (p.category === 'AUTHORITY_UNCLEAR') out.choices.push(choiceOf(caseCommand(n, 'transfer'), '转办：市便民服务中心'));
        else for (const u of p.transferUnits) out.choices.push(choiceOf(caseCommand(n, 'transfer', u._id), `转办：${u.name}`));
        out.templates.push(template(n, 'transfer'));
        break;
      case 'UNIT_ACK':
        out.choices.push(choiceOf(caseCommand(n, 'ack'), '签收转办单'));
        break;
      case 'UNIT_REPLY':
        out.templates.push(template(n, 'answer'));
        break;
      case 'RESOLVE':
        out.templates.push(template(n, 'resolve'));
        break;
      case 'FIRST_FEEDBACK':
        out.templates.push(template(n, 'feedback'));
        break;
      case 'REPLY':
        out.choices.push(choiceOf(caseCommand(n, 'reply'), '向诉求人反馈办理结果'));
        break;
      case 'FOLLOW_UP':
        for (const s of SATISFACTION) out.choices.push(choiceOf(caseCommand(n, 'followUp', SATISFACTION_ZH[s]), `回访：${SATISFACTION_ZH[s]}`));
        break;
      case 'ARCHIVE':
        out.choices.push(choiceOf(caseCommand(n, 'archive'), '备案'));
        break;
      case 'CALMED':
        out.choices.push(choiceOf(caseCommand(n, 'calmed'), '确认情绪已平复'));
        break;
      case 'RECORD':
        out.templates.push(template(n, 'note'));
        break;
      case 'MARK_OUT_OF_SCOPE':
        out.templates.push(template(n, 'outOfScope'));
        break;
      case 'WITHDRAW':
        out.templates.push(template(n, 'withdraw'));
        break;
      case 'FLAG_AGITATED':
        break;
    }
  }
  return out;
}
