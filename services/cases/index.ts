// The case services, bound to their dependencies once by the composition root. Channels call
// these and only translate: every rule lives behind this surface.
import type { Category, ChannelIdentity, OutOfScopeReason, Satisfaction } from '../../models/vocabulary.js';
import type { ChangeOptions } from './change.js';
import { addSupplement, myCases, progress, type SupplementInput } from './citizen.js';
import type { CaseDeps } from './deps.js';
import { firstFeedback, reply } from './feedback.js';
import { addFollowUpComment, archive, recordFollowUp, withdraw } from './followup.js';
import { type RecordInput, type ResolveInput, recordHandling, resolve } from './handling.js';
import { type IntakeInput, registerCase } from './intake.js';
import type { Performer } from './performer.js';
import { type ListQuery, listCases, viewCase } from './queries.js';
import { renderSlip } from './slip.js';
import {
  type DraftInput,
  type TransferInput,
  type UnitReplyInput,
  draftTransfer,
  issueTransfer,
  previewTransfer,
  unitAcknowledge,
  unitReply,
} from './transfers.js';
import { assign, calmed, classify, flagAgitated, markOutOfScope, reclassify } from './triage.js';
import { type UnitsAnswer, addInvolvedUnits, removeInvolvedUnit, settleUnits } from './involvement.js';
import { answerWindow, askWindow } from './windows.js';
import type { StaffDoc } from '../../models/staff.js';
import { createStoreBatches } from './store-batches.js';

export function createCaseServices(given: CaseDeps) {
  const deps: CaseDeps = { ...given, batches: given.batches ?? createStoreBatches(given.models) };
  // async wrappers: input checks that run before the first await still reject, never throw synchronously
  return {
    register: async (input: IntakeInput, p: Performer) => registerCase(deps, input, p),
    classify: async (n: string, category: Category, p: Performer, o?: ChangeOptions, units?: UnitsAnswer) => classify(deps, n, category, p, o, units),
    reclassify: async (n: string, category: Category, p: Performer, o?: ChangeOptions) => reclassify(deps, n, category, p, o),
    markOutOfScope: async (n: string, reason: OutOfScopeReason, note: string | undefined, p: Performer, o?: ChangeOptions) =>
      markOutOfScope(deps, n, reason, note, p, o),
    flagAgitated: async (n: string, p: Performer, o?: ChangeOptions) => flagAgitated(deps, n, p, o),
    calmed: async (n: string, note: string | undefined, p: Performer, o?: ChangeOptions) => calmed(deps, n, note, p, o),
    assign: async (n: string, staffId: string, p: Performer, o?: ChangeOptions) => assign(deps, n, staffId, p, o),
    /** 涉及: adds to the units the case complains about. */
    addInvolvedUnits: async (n: string, units: string[], p: Performer, o?: ChangeOptions) => addInvolvedUnits(deps, n, units, p, o),
    /** 被反映单位: settles which units the case complains about (or none). */
    settleUnits: async (n: string, answer: UnitsAnswer, p: Performer, o?: ChangeOptions) => settleUnits(deps, n, answer, p, o),
    removeInvolvedUnit: async (n: string, unit: string, reason: string, p: Performer, o?: ChangeOptions) => removeInvolvedUnit(deps, n, unit, reason, p, o),
    record: async (n: string, input: RecordInput, p: Performer, o?: ChangeOptions) => recordHandling(deps, n, input, p, o),
    resolve: async (n: string, input: ResolveInput, p: Performer, o?: ChangeOptions) => resolve(deps, n, input, p, o),
    transfer: async (n: string, input: TransferInput, p: Performer, o?: ChangeOptions) => issueTransfer(deps, n, input, p, o),
    /** 填写转办单: the slip's 诉求内容, proposed or edited, and exactly what the unit will read. */
    draftTransfer: async (n: string, input: DraftInput, p: Performer, o?: ChangeOptions) => draftTransfer(deps, n, input, p, o),
    previewTransfer: async (n: string, input: { unit?: string }, p: Performer) => previewTransfer(deps, n, input, p),
    unitAck: async (n: string, p: Performer, o?: ChangeOptions) => unitAcknowledge(deps, n, p, o),
    unitReply: async (n: string, input: UnitReplyInput, p: Performer, o?: ChangeOptions) => unitReply(deps, n, input, p, o),
    firstFeedback: async (n: string, text: string, p: Performer, o?: ChangeOptions) => firstFeedback(deps, n, text, p, o),
    reply: async (n: string, text: string | undefined, p: Performer, o?: ChangeOptions) => reply(deps, n, text, p, o),
    followUp: async (n: string, input: { satisfaction: Satisfaction; comment?: string }, p: Performer, o?: ChangeOptions) =>
      recordFollowUp(deps, n, input, p, o),
    followUpComment: async (identity: ChannelIdentity, n: string, comment: string) => addFollowUpComment(deps, identity, n, comment),
    archive: async (n: string, p: Performer, o?: ChangeOptions) => archive(deps, n, p, o),
    askWindow: async (n: string, input: { unit: string; question: string }, p: Performer, o?: ChangeOptions) => askWindow(deps, n, input, p, o),
    answerWindow: async (n: string, text: string, p: Performer) => answerWindow(deps, n, text, p),
    withdraw: async (n: string, reason: string | undefined, p: Performer, o?: ChangeOptions) => withdraw(deps, n, reason, p, o),
    addSupplement: async (identity: ChannelIdentity, n: string, input: SupplementInput, key?: string) => addSupplement(deps, identity, n, input, key),
    myCases: async (identity: ChannelIdentity, opts?: { openOnly?: boolean; limit?: number }) => myCases(deps, identity, opts),
    progress: async (identity: ChannelIdentity, n: string) => progress(deps, identity, n),
    list: async (staff: StaffDoc, q?: ListQuery) => listCases(deps, staff, q),
    view: async (staff: StaffDoc, n: string, opts?: { reveal?: boolean; inRoom?: boolean }) => viewCase(deps, staff, n, opts),
    renderSlip,
  };
}
export type CaseServices = ReturnType<typeof createCaseServices>;

export { FOLLOW_UP_WORKING_DAYS, followUpChoiceId, parseFollowUpChoice } from './feedback.js';
export { REHANDLING_WORKING_DAYS } from './followup.js';
export { MEASURE_ZH, OUTCOME_ZH } from './handling.js';
export { outOfScopeGuidance } from './intake.js';
export type { IntakeInput, IntakeResult } from './intake.js';
export { onlyLiaison, type Performer, slipIsFor } from './performer.js';
export { LIST_SCOPES, type CaseRow, type CaseView, type ListQuery, type ListScope, type Page } from './queries.js';
export { UNIT_REPLY_WORKING_DAYS } from './transfers.js';
export type { CaseDeps } from './deps.js';
export type { UnitsAnswer } from './involvement.js';
