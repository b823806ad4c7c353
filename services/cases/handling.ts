// 处办 records and 办结: the one-time notice with its exact list, the refusal notice with its
// basis, the case-by-case meeting and its measures, leadership informed, the complaint procedure.
import { type HandlingRecordKind, OUTCOMES_REQUIRING_BASIS, RESOLVE_OUTCOMES, type ResolveOutcome } from '../../machines/case-lifecycle.js';
import type { HandlingRecord } from '../../models/case.js';
import { MEASURES, type Measure } from '../../models/vocabulary.js';
import { type Directory, matchUnit } from '../directory/index.js';
import { InvalidInputError } from '../errors.js';
import { staffZh } from '../locales/zh/cases.js';
import { type ChangeOptions, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { citizenCopy, say, toReporter, toRole, toRoom } from './notify.js';
import { type Performer, actorOf } from './performer.js';
import { optionalText, requireBasis, requireList, requireText } from './text-input.js';

export const MEASURE_ZH: Record<Measure, string> = {
  notify_commit: '告知承诺',
  accept_with_gaps: '容缺受理',
  refusal_signoff: '否决事项审签',
};

export const OUTCOME_ZH: Record<ResolveOutcome, string> = {
  handled: '已受理（办理）',
  one_time_notice: '材料不全，已一次性告知',
  refused: '不予受理（已出具通知书）',
  measures_adopted: '经一事一议办理',
  transferred_result: '承办单位已处办',
  ineligible: '不符合办理条件',
  complaint_closed: '投诉件已核查处办',
  explained: '已解释说明',
};

export interface RecordInput {
  kind: HandlingRecordKind;
  text: string;
  /** One-time notice: every missing or non-conforming material, one per item. */
  missingMaterials?: string[];
  /** Refusal notice: the policy or legal basis. */
  basis?: string;
  /** Meeting: who took part, and the measures adopted. */
  attendees?: string[];
  measures?: Measure[];
}

function checkRecord(input: RecordInput): Omit<HandlingRecord, 'at' | 'by'> {
  const text = requireText(input.text, 'text', '处办情况');
  const rec: Omit<HandlingRecord, 'at' | 'by'> = { kind: input.kind, text };
  if (input.kind === 'one_time_notice') rec.missingMaterials = requireList(input.missingMaterials, 'missingMaterials', '需补齐的材料');
  if (input.kind === 'refusal_notice') rec.basis = requireBasis(input.basis, 'basis', '不予受理的政策法规依据');
  if (input.kind === 'meeting') {
    rec.attendees = requireList(input.attendees, 'attendees', '参会科室和窗口');
    const measures = input.measures ?? [];
    for (const m of measures)
      if (!MEASURES.includes(m)) throw new InvalidInputError('measures', `措施无效。可选：${MEASURES.map((x) => MEASURE_ZH[x]).join('、')}。`);
    rec.measures = measures;
  }
  return rec;
}

const RECORD_TIMELINE: Record<HandlingRecordKind, { text: string; publicText?: string }> = {
  on_site: { text: '现场处理' },
  one_time_notice: { text: '一次性告知', publicText: '已一次性告知需补齐的材料' },
  refusal_notice: { text: '出具不予受理通知书', publicText: '已出具不予受理通知书并说明理由' },
  meeting: { text: '一事一议', publicText: '有关科室和窗口已会商研究' },
  complaint_step: { text: '投诉件办理', publicText: '效能督查科正在核查处理' },
  leader_informed: { text: '已向局领导汇报' },
  note: { text: '备注' },
};

export function recordHandling(deps: CaseDeps, number: string, input: RecordInput, p: Performer, opts?: ChangeOptions) {
  const rec = checkRecord(input);
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'RECORD', kind: rec.kind as HandlingRecordKind },
      async build({ doc, batch, now, directory }) {
        const n = doc.number;
        const copy = citizenCopy(doc);
        if (rec.kind === 'one_time_notice')
          await toReporter(batch, doc, say(copy.oneTimeNotice({ number: n, items: rec.missingMaterials!, text: rec.text })), 'citizen.one_time_notice');
        if (rec.kind === 'refusal_notice')
          await toReporter(batch, doc, say(copy.refusalNotice({ number: n, text: rec.text, basis: rec.basis! })), 'citizen.refusal_notice');
        if (rec.kind === 'leader_informed')
          await toRole(batch, directory, doc, 'leader', staffZh.leaderInformed({ number: n, matter: doc.matter, text: rec.text }), 'case.leader_informed');
        if (rec.kind === 'complaint_step' || rec.kind === 'meeting') await toRoom(batch, doc, `事项 ${n}：${RECORD_TIMELINE[rec.kind].text}——${rec.text}`, `case.${rec.kind}`);
        // The windows a meeting brought together, as directory units: a complex case keeps every
        // window involved, not only the words of the minutes.
        const windows =
          rec.kind === 'meeting' ? await windowsNamed(directory, doc.site, rec.attendees ?? []) : [];
        if (rec.kind === 'meeting' && doc.lifecycle.category === 'COMPLEX' && !doc.lifecycle.leaderInformed)
          await toRoom(batch, doc, staffZh.leaderReportPending({ number: n }), 'case.leader_pending');
        const t = RECORD_TIMELINE[rec.kind as HandlingRecordKind];
        const detail =
          rec.kind === 'meeting' && rec.measures?.length ? `（措施：${rec.measures.map((m) => MEASURE_ZH[m]).join('、')}）` : '';
        return {
          push: { handling: [{ ...rec, ...(windows.length ? { windows } : {}), at: now, by: actorOf(p) }] },
          timeline: [{ type: `record.${rec.kind}`, text: `${t.text}${detail}：${rec.text}`, public: Boolean(t.publicText), publicText: t.publicText }],
        };
      },
    },
    opts,
  );
}

/** Stationed windows of the site that the attendees name (规划窗口, 市场准入综合窗口…). */
async function windowsNamed(directory: Directory, site: string, attendees: string[]): Promise<string[]> {
  const stationed = (await directory.units(site)).filter((u) => u.kind === 'stationed_window');
  const out = new Set<string>();
  for (const a of attendees) {
    const code = matchUnit(a, stationed);
    if (code) out.add(code);
  }
  return [...out];
}

export interface ResolveInput {
  outcome: ResolveOutcome;
  text: string;
  basis?: string;
}

export function resolve(deps: CaseDeps, number: string, input: ResolveInput, p: Performer, opts?: ChangeOptions) {
  if (!RESOLVE_OUTCOMES.includes(input.outcome))
    throw new InvalidInputError('outcome', `办结方式无效。可选：${RESOLVE_OUTCOMES.map((o) => `${o}（${OUTCOME_ZH[o]}）`).join('、')}。`);
  const text = requireText(input.text, 'text', '办理结果', { min: 4 });
  const basis = OUTCOMES_REQUIRING_BASIS.includes(input.outcome)
    ? requireBasis(input.basis, 'basis', '不予受理或不符合办理条件的政策法规依据')
    : optionalText(input.basis, 'basis', '处办依据');
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'RESOLVE', outcome: input.outcome, hasBasis: Boolean(basis) },
      async build({ doc, batch, now }) {
        await toRoom(batch, doc, staffZh.resolved({ number: doc.number, outcome: `${OUTCOME_ZH[input.outcome]}——${text}` }), 'case.resolved');
        return {
          set: { outcome: { kind: input.outcome, text, basis, at: now, by: actorOf(p) } },
          timeline: [
            {
              type: doc.status === 'rehandling' ? 'rehandled' : 'resolved',
              text: `办结：${OUTCOME_ZH[input.outcome]}——${text}${basis ? `（依据：${basis}）` : ''}`,
              public: true,
              publicText: '已办结，等待反馈',
            },
          ],
          deadlines: { meet: doc.status === 'rehandling' ? ['rehandling'] : [] },
        };
      },
    },
    opts,
  );
}
