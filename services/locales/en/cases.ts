// Citizen-facing case messages in English (the second locale). Staff copy is Chinese only.
import type { citizenZh } from '../zh/cases.js';

const REMEDIES_EN =
  'If you disagree with this decision, you may apply for administrative reconsideration within 60 days of learning of it, or bring an administrative lawsuit before a people\'s court within 6 months of learning of it.';

/** Beside a date counted through a year whose holiday schedule is not published yet. */
export const PROVISIONAL_EN = ' (provisional until the holiday schedule is published)';

export const citizenEn: typeof citizenZh = {
  deferredAcceptance: (p) => `It is outside office hours. Your report is recorded and will be formally accepted at ${p.at}, when the clock starts.`,
  classified: (p) => `Your case ${p.number} has been reviewed by the duty officer and is being handled.`,
  transferred: (p) =>
    p.unitContacts
      ? `Your case ${p.number} concerns ${p.unit}. It has been transferred to them with a transfer slip; they will contact you directly and reply by ${p.due}.`
      : `Your case ${p.number} concerns ${p.unit}. It has been transferred to them with a transfer slip. Your name and contact details are not given to that unit: it answers the window, and the window contacts you, by ${p.due}.`,
  transferredToCenter: (p) =>
    `Your case ${p.number} has been passed to the Citizen Service Center as a work order; expect an answer by ${p.due}.`,
  firstFeedback: (p) => `[Progress] Case ${p.number}: ${p.text}`,
  oneTimeNotice: (p) =>
    `[One-time notice] Case ${p.number}: ${p.text}\nEverything still needed:\n${p.items.map((x, i) => `${i + 1}. ${x}`).join('\n')}\nOnce you have these, the matter can be handled without queueing for advice again.`,
  result: (p) => `[Result] Case ${p.number}: ${p.text}${p.basis ? `\nBasis: ${p.basis}` : ''}`,
  refusalNotice: (p) =>
    `[Notice of refusal to accept] Case ${p.number}\nAfter review, your request cannot be accepted.\nReason: ${p.text}\nBasis: ${p.basis}\n${REMEDIES_EN}`,
  ineligibleResult: (p) => `[Result] Case ${p.number}: ${p.text}\nBasis: ${p.basis}\n${REMEDIES_EN}`,
  followUpAsk: (p) => `[Follow-up] Case ${p.number} has been handled. Are you satisfied with the result?`,
  followUpThanks: (p) => `Thank you for your feedback on case ${p.number}.`,
  followUpDissatisfied: (p) =>
    `We are sorry the result did not satisfy you. Case ${p.number} has gone to the Efficiency Supervision Section, which will answer by ${p.due}.`,
  withdrawn: (p) => `Case ${p.number} has been withdrawn as you asked. Message us any time to report again.`,
  outOfScope: (p) => `Case ${p.number} is outside what this window can accept. ${p.guidance}`,
  archived: (p) => `Case ${p.number} is closed and filed. Thank you.`,
  supplementReceived: (p) => `Your additional information was added to case ${p.number}.`,
};

export const SATISFACTION_EN = {
  satisfied: 'Satisfied',
  basically_satisfied: 'Basically satisfied',
  dissatisfied: 'Dissatisfied',
} as const;
