// 被反映单位: which units the case complains about. A set, never silently replaced: 涉及 adds,
// taking a unit out needs a reason and is refused once the unit has received anything. Staff
// settle it by answering "被反映单位" (units, or explicitly none); until then no unit learns who
// reported (services/privacy.ts decides, from these fields alone).
import type { CaseDoc } from '../../models/case.js';
import type { UnitDoc } from '../../models/unit.js';
import { OPEN_STATUSES } from '../../models/vocabulary.js';
import type { Directory } from '../directory/index.js';
import { DeskError, InvalidInputError } from '../errors.js';
import { involvementZh } from '../locales/zh/cases.js';
import { subjectUnits } from '../privacy.js';
import { type ChangeOptions, type ChangeParts, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { toRole } from './notify.js';
import type { OutboxBatch } from '../recipients.js';
import { type Performer, actorOf } from './performer.js';
import { requireText } from './text-input.js';

/** The answer to "被反映单位": these units, or explicitly none. */
export type UnitsAnswer = string[] | 'none';

function checkOpen(doc: CaseDoc) {
  if (!OPEN_STATUSES.includes(doc.status)) throw new DeskError('illegal_transition', involvementZh.closed(doc.number));
}

async function unitsOf(directory: Directory, codes: readonly string[]): Promise<UnitDoc[]> {
  if (!Array.isArray(codes) || codes.length === 0) throw new InvalidInputError('units', involvementZh.needUnits);
  if (codes.length > 20) throw new InvalidInputError('units', involvementZh.tooMany);
  const out: UnitDoc[] = [];
  for (const c of codes) {
    const u = await directory.unit(String(c));
    if (!out.some((x) => x._id === u._id)) out.push(u);
  }
  return out;
}

/**
 * Adds `units` to the set, as part of a change being built. A unit that already received the
 * reporter's identity on a slip cannot have it recalled: it is added all the same (from now on
 * it sees nothing more), and 效能督查科 is told so they can deal with what already went.
 */
async function addUnits(doc: CaseDoc, units: UnitDoc[], batch: OutboxBatch, directory: Directory): Promise<{ set: Record<string, unknown>; timeline: ChangeParts['timeline']; added: UnitDoc[] }> {
  const current = subjectUnits(doc);
  const added = units.filter((u) => !current.includes(u._id));
  const timeline: ChangeParts['timeline'] = [];
  if (added.length) timeline.push({ type: 'involved_unit', text: involvementZh.addedTimeline(added.map((u) => u.name).join('、')), public: false });
  for (const u of added) {
    const slips = doc.transfers.filter((t) => t.unit === u._id && t.identityShared).map((t) => t.number);
    if (!slips.length) continue;
    timeline.push({ type: 'involved_unit_late', text: involvementZh.lateTimeline({ unit: u.name, slips: slips.join('、') }), public: false });
    await toRole(batch, directory, doc, 'supervision', involvementZh.lateAlert({ number: doc.number, unit: u.name, slips: slips.join('、') }), 'case.involved_late');
  }
  return { set: { involvedUnits: [...current, ...added.map((u) => u._id)] }, timeline, added };
}

/** 涉及: adds units the case complains about. Works after a slip has gone too (a repair). */
export function addInvolvedUnits(deps: CaseDeps, number: string, codes: string[], p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      action: 'recordHandling',
      async build({ doc, batch, directory }) {
        checkOpen(doc);
        const units = await unitsOf(directory, codes);
        const r = await addUnits(doc, units, batch, directory);
        if (!r.added.length) throw new DeskError('conflict', involvementZh.already(units.map((u) => u.name).join('、')));
        return { set: r.set, timeline: r.timeline };
      },
    },
    opts,
  );
}

/**
 * 被反映单位: the duty officer's answer at classification. Units are added to the set; "none"
 * is refused while the set holds units (taking one out is its own step, with a reason).
 */
export async function settleUnits(deps: CaseDeps, number: string, answer: UnitsAnswer, p: Performer, opts?: ChangeOptions) {
  return applyChange(deps, number, p, { action: 'settleUnits', build: (ctx) => settlementParts(ctx.doc, answer, p, ctx) }, opts);
}

/** The parts of a change that settles the units; classification uses it too. */
export async function settlementParts(
  doc: CaseDoc,
  answer: UnitsAnswer,
  p: Performer,
  ctx: { batch: OutboxBatch; directory: Directory; now: Date },
): Promise<Pick<ChangeParts, 'set' | 'timeline'>> {
  checkOpen(doc);
  const settled = { at: ctx.now, by: actorOf(p) };
  if (answer === 'none') {
    const current = subjectUnits(doc);
    if (current.length) {
      const names = await Promise.all(current.map((c) => ctx.directory.unit(c).then((u) => `${u.name}（${u._id}）`, () => c)));
      throw new DeskError('conflict', involvementZh.noneWhileSet({ number: doc.number, units: names.join('、'), first: current[0] }));
    }
    return { set: { unitsSettled: settled }, timeline: [{ type: 'units_settled', text: involvementZh.settledNone, public: false }] };
  }
  const units = await unitsOf(ctx.directory, answer);
  const r = await addUnits(doc, units, ctx.batch, ctx.directory);
  const all = [...subjectUnits(doc), ...r.added.map((u) => u._id)];
  const names = await Promise.all(all.map((c) => ctx.directory.unit(c).then((u) => u.name, () => c)));
  return {
    set: { ...r.set, unitsSettled: settled },
    timeline: [...r.timeline, { type: 'units_settled', text: involvementZh.settled(names.join('、')), public: false }],
  };
}

/** Takes a unit out of the set: a reason is required, and a unit that has received anything stays. */
export function removeInvolvedUnit(deps: CaseDeps, number: string, code: string, reason: string, p: Performer, opts?: ChangeOptions) {
  const why = requireText(reason, 'reason', involvementZh.reasonLabel, { min: 4, max: 500 });
  return applyChange(
    deps,
    number,
    p,
    {
      action: 'settleUnits',
      async build({ doc, now, directory }) {
        checkOpen(doc);
        const unit = await directory.unit(code);
        const current = subjectUnits(doc);
        if (!current.includes(unit._id)) throw new DeskError('conflict', involvementZh.notInSet(unit.name));
        // Anything addressed to the unit is a slip or about one: once it has one, it knows the case.
        if (doc.transfers.some((t) => t.unit === unit._id)) throw new DeskError('conflict', involvementZh.received(unit.name));
        return {
          set: { involvedUnits: current.filter((c) => c !== unit._id), ...(doc.involvedUnit === unit._id ? { involvedUnit: null } : {}) },
          push: { involvedRemoved: [{ unit: unit._id, reason: why, at: now, by: actorOf(p) }] },
          timeline: [{ type: 'involved_unit_removed', text: involvementZh.removedTimeline({ unit: unit.name, reason: why }), public: false }],
        };
      },
    },
    opts,
  );
}
