// 分类: the duty officer's first look, the five situations, out-of-scope findings, and the
// agitated-citizen rule (效能督查科 first, classification after).
import { CATEGORIES, type Category, OUT_OF_SCOPE_REASONS, type OutOfScopeReason } from '../../models/vocabulary.js';
import { InvalidInputError } from '../errors.js';
import { CATEGORY_ZH, OUT_OF_SCOPE_GUIDANCE_ZH, staffZh } from '../locales/zh/cases.js';
import { type ChangeOptions, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { type UnitsAnswer, settlementParts } from './involvement.js';
import { citizenCopy, say, toReporter, toRole, toRoom } from './notify.js';
import type { Performer } from './performer.js';
import { optionalText } from './text-input.js';

const OUT_OF_SCOPE_ZH: Record<OutOfScopeReason, string> = {
  legal: '涉法',
  litigation: '涉诉',
  petition: '涉访',
  contrary_to_policy: '与现行政策法规不符',
};

export function checkCategory(value: unknown): Category {
  if (!CATEGORIES.includes(value as Category)) {
    throw new InvalidInputError('category', `类别无效。可选：${CATEGORIES.map((c) => `${c}（${CATEGORY_ZH[c]}）`).join('、')}。`);
  }
  return value as Category;
}

const byLabel = (p: Performer) => (p.kind === 'staff' ? p.staff.name : '系统');

/** `units`: the answer to "被反映单位" given with the classification, settling it in the same change. */
export function classify(deps: CaseDeps, number: string, category: Category, p: Performer, opts?: ChangeOptions, units?: UnitsAnswer) {
  const c = checkCategory(category);
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'CLASSIFY', category: c },
      async build({ doc, batch, directory, now }) {
        const n = doc.number;
        const settle = units ? await settlementParts(doc, units, p, { batch, directory, now }) : { set: {}, timeline: [] };
        await toRoom(batch, doc, staffZh.classified({ number: n, category: CATEGORY_ZH[c], by: byLabel(p) }), 'case.classified');
        if (c === 'COMPLEX') await toRoom(batch, doc, staffZh.complexMeeting({ number: n }), 'case.complex');
        if (c === 'IRREGULAR_SERVICE') await toRole(batch, directory, doc, 'supervision', staffZh.irregular({ number: n }), 'case.irregular');
        if (c === 'NOT_STATIONED')
          await toRole(batch, directory, doc, 'coordination', staffZh.needTransfer({ number: n, via: '业务协调科' }), 'case.need_transfer');
        if (c === 'AUTHORITY_UNCLEAR')
          await toRole(batch, directory, doc, 'supervision', staffZh.needTransfer({ number: n, via: '效能督查科' }), 'case.need_transfer');
        await toReporter(batch, doc, say(citizenCopy(doc).classified({ number: n })), 'citizen.classified');
        return {
          set: { ...settle.set, category: c, ...(doc.assignee ? {} : p.kind === 'staff' ? { assignee: p.staff._id } : {}) },
          timeline: [{ type: 'classified', text: `分类为“${CATEGORY_ZH[c]}”`, public: true, publicText: '巡导员已分析，正在协调处办' }, ...settle.timeline],
          deadlines: { meet: ['classify'] },
        };
      },
    },
    opts,
  );
}

export function reclassify(deps: CaseDeps, number: string, category: Category, p: Performer, opts?: ChangeOptions) {
  const c = checkCategory(category);
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'RECLASSIFY', category: c },
      async build({ doc, batch }) {
        await toRoom(batch, doc, staffZh.classified({ number: doc.number, category: CATEGORY_ZH[c], by: byLabel(p) }), 'case.reclassified');
        return {
          set: { category: c },
          timeline: [{ type: 'reclassified', text: `由“${doc.category ? CATEGORY_ZH[doc.category] : '未分类'}”改为“${CATEGORY_ZH[c]}”`, public: false }],
        };
      },
    },
    opts,
  );
}

export function markOutOfScope(deps: CaseDeps, number: string, reason: OutOfScopeReason, note: string | undefined, p: Performer, opts?: ChangeOptions) {
  if (!OUT_OF_SCOPE_REASONS.includes(reason)) {
    throw new InvalidInputError('reason', `原因无效。可选：${OUT_OF_SCOPE_REASONS.map((r) => `${r}（${OUT_OF_SCOPE_ZH[r]}）`).join('、')}。`);
  }
  const text = optionalText(note, 'note', '说明');
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'MARK_OUT_OF_SCOPE' },
      async build({ doc, batch }) {
        const guidance = OUT_OF_SCOPE_GUIDANCE_ZH[reason];
        await toReporter(batch, doc, say(citizenCopy(doc).outOfScope({ number: doc.number, guidance })), 'citizen.out_of_scope');
        await toRoom(batch, doc, staffZh.outOfScope({ number: doc.number, reason: OUT_OF_SCOPE_ZH[reason] }), 'case.out_of_scope');
        return {
          set: { outOfScopeReason: reason },
          timeline: [
            {
              type: 'out_of_scope',
              text: `认定不属受理范围（${OUT_OF_SCOPE_ZH[reason]}）${text ? `：${text}` : ''}`,
              public: true,
              publicText: `不属本窗口受理范围。${guidance}`,
            },
          ],
        };
      },
    },
    opts,
  );
}

export function flagAgitated(deps: CaseDeps, number: string, p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'FLAG_AGITATED' },
      async build({ doc, batch, directory }) {
        if (!doc.lifecycle.agitated)
          await toRole(batch, directory, doc, 'supervision', staffZh.agitated({ number: doc.number }), 'case.agitated');
        return { set: { agitated: true }, timeline: [{ type: 'agitated', text: '诉求人情绪激动，效能督查科先行疏导', public: false }] };
      },
    },
    opts,
  );
}

export function calmed(deps: CaseDeps, number: string, note: string | undefined, p: Performer, opts?: ChangeOptions) {
  const text = optionalText(note, 'note', '疏导情况');
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'CALMED' },
      async build({ doc, batch, now }) {
        await toRoom(batch, doc, staffZh.calmed({ number: doc.number }), 'case.calmed');
        return {
          push: { handling: [{ at: now, by: { kind: 'staff', id: p.kind === 'staff' ? p.staff._id : 'system' }, kind: 'calming', text: text ?? '情绪已平复' }] },
          timeline: [{ type: 'calmed', text: `效能督查科疏导完毕${text ? `：${text}` : ''}`, public: false }],
        };
      },
    },
    opts,
  );
}

export function assign(deps: CaseDeps, number: string, staffId: string, p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      action: 'assign',
      async build({ doc, batch, directory }) {
        const s = await directory.staff(staffId);
        if (s.site !== doc.site) throw new InvalidInputError('staff', `${s.name} 不在本站点，不能指派。`);
        await batch.add({ kind: 'staff', staff: s }, say(`事项 ${doc.number} 已指派给您处办（#${doc.number} 查看）。`), { reason: 'case.assigned' });
        return { set: { assignee: s._id }, timeline: [{ type: 'assigned', text: `指派给 ${s.name}`, public: false }] };
      },
    },
    opts,
  );
}
