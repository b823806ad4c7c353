// Public surface of the citizen intake dialogue.

export { matchChoice, normalizeAnswer, parseCaseNumber, textCommand } from './answers.js';
export { INTAKE_COPY_KEYS, type IntakeCopyKey } from './copy-keys.js';
export { intakeMachine } from './machine.js';
export { ALL_CHOICE_IDS, CHOICE_WORDS, type ChoiceId, MENUS, type MenuId } from './menus.js';
export { detectAgitation, detectOutOfScope, type ScreeningHit } from './screening.js';
export {
  IntakeSnapshotError,
  type IntakeSnapshot,
  type IntakeStep,
  persistIntake,
  restoreIntake,
  startIntake,
  step,
} from './step.js';
export {
  type AttachmentKind,
  type CommandName,
  type IntakeAttachment,
  type IntakeContext,
  type IntakeDraft,
  type IntakeEffect,
  type IntakeEvent,
  type IntakeInput,
  type IntakeReply,
  PROBLEMS,
  type Problem,
  type ReplyChoice,
  STEPS,
  type Step,
  SUGGESTED_CATEGORY,
  type UnsupportedKind,
  type SubmissionTimeline,
} from './types.js';
