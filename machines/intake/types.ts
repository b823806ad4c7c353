// The intake dialogue's vocabulary: what the engine feeds in, what the machine hands back.
// Everything here is plain JSON so a persisted snapshot survives Redis unchanged.

import type { Category, Locale, OutOfScopeReason, Satisfaction } from '../../models/vocabulary.js';
import type { IntakeCopyKey } from './copy-keys.js';

export type AttachmentKind = 'photo' | 'file';
export type UnsupportedKind = 'sticker' | 'voice' | 'location' | 'video' | 'other';
export type CommandName = 'start' | 'help' | 'cancel' | 'restart' | 'progress' | 'withdraw';

/** Dates are preformatted by the engine from the working-day calendar (e.g. 11月24日（周二）17:30). */
export interface SubmissionTimeline {
  /** When the citizen hears from the duty officer at the latest: the day of acceptance. */
  firstFeedbackBy: string;
  /** Reply due from a unit if the case is transferred: 3 working days after acceptance. */
  transferReplyBy?: string;
  /** Set when the report came in off-hours: when the clock starts (next office opening). */
  deferredAcceptance?: string;
}

export type IntakeEvent =
  | { type: 'text'; text: string }
  | { type: 'choice'; id: string }
  | { type: 'attachment'; kind: AttachmentKind; ref: string; name?: string; mime?: string; size?: number }
  | { type: 'unsupported'; kind: UnsupportedKind }
  | { type: 'command'; name: CommandName }
  | { type: 'submitted'; caseNumber: string; timeline: SubmissionTimeline }
  | { type: 'submitFailed'; reason: string }
  /** `openCase`: the one still-open case the result shows, which the menu then offers to withdraw. */
  | { type: 'progressResult'; found: boolean; caseNumber?: string; lines?: string[]; openCase?: string }
  | { type: 'withdrawn'; caseNumber: string }
  /** `reason` is the desk's own words (not yours, already closed, ...), shown to the citizen as is. */
  | { type: 'withdrawFailed'; reason: string }
  /** The chat's own cases still open, newest first: the answer to `listOpenCases`. */
  | { type: 'openCases'; numbers: string[] }
  | { type: 'followUpAsked'; caseNumber: string }
  /** The case this chat was following has ended (备案, 撤回 at the window…): stop offering to add to it or withdraw it. */
  | { type: 'caseClosed'; caseNumber: string; status: string }
  /**
   * The engine's reading of the unit the citizen named (the answer to `matchUnit`): `certain`
   * when the words name exactly one unit; otherwise the likely ones, for the citizen to pick from.
   */
  | { type: 'unitMatched'; words: string; options: UnitOption[]; certain: boolean }
  | { type: 'expired' };

/** A unit the citizen may mean, as the directory names it. */
export interface UnitOption {
  code: string;
  name: string;
}

export interface IntakeAttachment {
  kind: AttachmentKind;
  ref: string;
  name?: string;
  mime?: string;
}

/** What went wrong, in the citizen's terms; each maps to one of the five situations (or none). */
export const PROBLEMS = ['materials', 'complex', 'staff', 'not_stationed', 'unknown_department', 'other'] as const;
export type Problem = (typeof PROBLEMS)[number];

export const SUGGESTED_CATEGORY: Record<Problem, Category | null> = {
  materials: 'GENERAL',
  complex: 'COMPLEX',
  staff: 'IRREGULAR_SERVICE',
  not_stationed: 'NOT_STATIONED',
  unknown_department: 'AUTHORITY_UNCLEAR',
  other: null,
};

/** A finished report, handed to the case service by the `submitCase` effect. */
export interface IntakeDraft {
  matter: string;
  problem: Problem;
  /** A proposal only: the duty officer confirms the category. */
  suggestedCategory: Category | null;
  account: string;
  attachments: IntakeAttachment[];
  /** The unit as the citizen typed it. */
  involvedUnit?: string;
  /** Set once the engine matched the words: the unit meant (null: none of the likely ones), the likely ones, and whether the citizen picked. */
  unitMatch?: { code: string | null; suggested: string[]; picked: boolean };
  reporterName: string;
  reporterPhone: string;
  agitated: boolean;
  locale: Locale;
}

export interface ReplyChoice {
  id: string;
  key: IntakeCopyKey;
  params?: Record<string, string | number>;
}

/**
 * One message to the citizen, as a copy key plus values. `refs` are values that are themselves
 * copy keys (a category, a problem label) so the renderer translates them too.
 */
export interface IntakeReply {
  key: IntakeCopyKey;
  params?: Record<string, string | number>;
  refs?: Record<string, IntakeCopyKey>;
  choices?: ReplyChoice[];
}

export type IntakeEffect =
  | { type: 'submitCase'; draft: IntakeDraft }
  | { type: 'addSupplement'; caseNumber: string; text?: string; attachment?: IntakeAttachment }
  | { type: 'recordFollowUp'; caseNumber: string; satisfaction: Satisfaction; comment?: string }
  /** Without a case number the engine lists the cases this chat reported (and only those). */
  | { type: 'queryProgress'; caseNumber?: string }
  /** Without a case number the report is still being written: alert supervision about the chat. */
  | { type: 'flagAgitated'; caseNumber?: string }
  /** The citizen confirmed: withdraw as the citizen (the desk refuses anyone but the reporter). */
  | { type: 'withdrawCase'; caseNumber: string }
  /** Which of this chat's cases are still open (a typed "撤回" must know which one is meant). */
  | { type: 'listOpenCases' }
  /** Which directory units the typed words may mean: answered with `unitMatched`. */
  | { type: 'matchUnit'; words: string };

/** The question the dialogue is waiting on; used to ask it again after help or a detour. */
export const STEPS = [
  'welcome',
  'menu',
  'privacy',
  'scope',
  'matter',
  'matterScope',
  'problem',
  'account',
  'accountScope',
  'unit',
  'unitPick',
  'name',
  'phone',
  'summary',
  'editPick',
  'submitting',
  'submitFailed',
  'filed',
  'progressAsk',
  'progressWait',
  'followUpRate',
  'followUpComment',
  'withdrawLookup',
  'withdrawConfirm',
  'withdrawing',
] as const;
export type Step = (typeof STEPS)[number];

/** A report being written; fields fill in as the citizen answers. */
export interface DraftInProgress {
  /** The scope question was answered "none of these" or "not sure". */
  scopeOk?: boolean;
  matter?: string;
  problem?: Problem;
  account: string;
  attachments: IntakeAttachment[];
  involvedUnit?: string;
  /** The engine's match of `involvedUnit`; `options` while the citizen is asked to pick. */
  unitMatch?: { code: string | null; suggested: string[]; picked: boolean };
  unitOptions?: UnitOption[];
  /** True once the citizen answered the unit question, even with "don't know". */
  unitAnswered?: boolean;
  reporterName?: string;
  reporterPhone?: string;
}

export interface IntakeContext {
  locale: Locale;
  step: Step;
  draft: DraftInProgress | null;
  /** Set while changing one field from the summary: the field's step then returns to the summary. */
  editing: boolean;
  /** A keyword hinted the matter may be out of scope; waiting for the citizen to confirm. */
  pendingScope: OutOfScopeReason | null;
  /** The citizen already said "no, not a court/petition matter": do not ask again for this report. */
  scopeCleared: boolean;
  agitated: boolean;
  /** The case this dialogue filed last; later messages are supplements to it. */
  caseNumber: string | null;
  followUp: { caseNumber: string; satisfaction?: Satisfaction } | null;
  /** The open case the menu offers to withdraw (filed here, or shown open by a progress lookup). */
  withdrawable: string | null;
  /** Replies produced by the last transition only. */
  outbox: IntakeReply[];
  /** Requests for the engine produced by the last transition only. */
  effects: IntakeEffect[];
}

export interface IntakeInput {
  locale?: Locale;
}
