// Performs the dialogue's effects through the case services and turns each outcome into what
// the dialogue needs next: a result event to step with, notices for the citizen, and the
// replies of the step that turned out untrue (the machine says "added" before the engine knows).
// Service refusals never escape: a failed effect is an answer to the citizen, not a crash.
import { createHash } from 'node:crypto';
import type { IntakeCopyKey, IntakeDraft, IntakeEffect, IntakeEvent } from '../../machines/intake/index.js';
import { LIMITS } from '../../models/validation.js';
import { type ChannelIdentity, type Locale, OPEN_STATUSES } from '../../models/vocabulary.js';
import type { IntakeInput } from '../cases/index.js';
import { DeskError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type EngineCopyKey, engineText } from './copy.js';
import type { Dialogue } from './dialogue.js';
import { submissionTimeline } from './timeline.js';
import type { ConversationEngineOptions } from './types.js';
import { matchUnit, unitCandidates, unitKey } from '../directory/unit-match.js';

export interface EffectOutcome {
  /** Stepped into the dialogue in the same turn. */
  event?: IntakeEvent;
  /** Said after the step's replies. */
  notices: string[];
  /** Replies of the step to leave out because the effect did not happen. */
  retract: IntakeCopyKey[];
}

export interface TurnContext {
  who: ChannelIdentity;
  dialogue: Dialogue;
  locale: Locale;
  updateId?: string;
}

type Deps = Pick<ConversationEngineOptions, 'cases' | 'directory' | 'calendar' | 'site' | 'coordination' | 'submissionLimit'> & { logger: Logger };

/** Mass filing (a script, a campaign) is held back desk-wide; an ordinary day's reports never come near this. */
export const DEFAULT_SUBMISSION_LIMIT = { capacity: 300, refillPerSecond: 1 } as const;

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);
const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/** DeskErrors other than "unavailable" are refusals with a message worth showing; anything else is an outage. */
const refusal = (e: unknown): DeskError | null => (e instanceof DeskError && e.code !== 'unavailable' ? e : null);

export function createEffectRunner(deps: Deps) {
  const { cases, logger } = deps;
  const citizen = (who: ChannelIdentity) => ({ kind: 'citizen', identity: who }) as const;
  const say = (ctx: TurnContext, key: EngineCopyKey, values?: Record<string, string | number>) => engineText(key, ctx.locale, values);
  const none = (): EffectOutcome => ({ notices: [], retract: [] });

  async function intakeInput(ctx: TurnContext, draft: IntakeDraft): Promise<IntakeInput> {
    let account = draft.account;
    let involvedUnit: string | undefined;
    let unitAsNamed: IntakeInput['unitAsNamed'];
    if (draft.involvedUnit) {
      // The dialogue's own match (asked of the citizen when uncertain); a draft from before it, matched now.
      const m = draft.unitMatch ?? { code: matchUnit(draft.involvedUnit, await deps.directory.units(deps.site)), suggested: [], picked: false };
      involvedUnit = m.code ?? undefined;
      unitAsNamed = {
        words: draft.involvedUnit.slice(0, 400),
        suggested: m.code && !m.suggested.includes(m.code) ? [m.code, ...m.suggested] : m.suggested,
        ...(m.picked ? { picked: m.code } : {}),
      };
      const note = `\n（反映涉及的窗口/单位：${draft.involvedUnit}）`;
      if (!involvedUnit && Array.from(account + note).length <= LIMITS.accountMax) account += note;
    }
    return {
      site: deps.site,
      channel: ctx.who.channel,
      reporter: { name: draft.reporterName, phone: draft.reporterPhone, identity: ctx.who, locale: draft.locale },
      matter: draft.matter,
      account,
      attachments: draft.attachments,
      ...(involvedUnit ? { involvedUnit } : {}),
      ...(unitAsNamed ? { unitAsNamed } : {}),
      problem: draft.problem,
      suggestedCategory: draft.suggestedCategory,
      agitated: draft.agitated,
      // Same dialogue + same draft = same key: a retry, or a turn redone after a crash, finds the case already made.
      idempotencyKey: `intake:${digest(ctx.who.channel, String(ctx.who.id), ctx.dialogue.id, JSON.stringify(draft))}`,
    };
  }

  async function submit(ctx: TurnContext, draft: IntakeDraft): Promise<EffectOutcome> {
    const admitted = await deps.coordination.takeToken(`intake-submissions:${deps.site}`, deps.submissionLimit ?? DEFAULT_SUBMISSION_LIMIT);
    if (!admitted.allowed) {
      logger.warn({ site: deps.site, retryAfterMs: admitted.retryAfterMs }, 'desk-wide submission limit reached; submission held back');
      // The machine keeps the draft and offers a retry, as for any failed submission.
      return { event: { type: 'submitFailed', reason: 'mass filing' }, notices: [say(ctx, 'massFiling')], retract: [] };
    }
    try {
      const r = await cases.register(await intakeInput(ctx, draft), citizen(ctx.who));
      if (!r.registered) return { event: { type: 'submitFailed', reason: r.reason }, notices: [r.guidance], retract: [] };
      if (r.duplicate) logger.info({ caseNumber: r.number }, 'submission already registered; telling the citizen its number again');
      return {
        event: { type: 'submitted', caseNumber: r.number, timeline: submissionTimeline(deps.calendar, r, ctx.locale) },
        notices: [],
        retract: [],
      };
    } catch (e) {
      const desk = refusal(e);
      logger[desk ? 'warn' : 'error']({ err: e }, 'registering a report from the dialogue failed');
      return {
        event: { type: 'submitFailed', reason: e instanceof Error ? e.message : String(e) },
        notices: desk ? [say(ctx, 'submitProblem', { reason: desk.message })] : [],
        retract: [],
      };
    }
  }

  async function supplement(ctx: TurnContext, e: Extract<IntakeEffect, { type: 'addSupplement' }>): Promise<EffectOutcome> {
    try {
      const key = ctx.updateId ? `sup:${digest(ctx.who.channel, String(ctx.who.id), ctx.updateId)}` : undefined;
      await cases.addSupplement(ctx.who, e.caseNumber, { text: e.text, attachments: e.attachment ? [e.attachment] : undefined }, key);
      return none();
    } catch (err) {
      const desk = refusal(err);
      logger[desk ? 'warn' : 'error']({ err, caseNumber: e.caseNumber }, 'adding a supplement from the dialogue failed');
      return {
        notices: [
          desk
            ? say(ctx, 'supplementFailed', { caseNumber: e.caseNumber, reason: desk.message })
            : say(ctx, 'supplementUnavailable', { caseNumber: e.caseNumber }),
        ],
        retract: ['supplement.added', 'supplement.attachmentAdded'],
      };
    }
  }

  async function followUp(ctx: TurnContext, e: Extract<IntakeEffect, { type: 'recordFollowUp' }>): Promise<EffectOutcome> {
    if (ctx.dialogue.ratedCase === e.caseNumber) {
      // The rating was recorded when its button was pressed; only the comment is new.
      ctx.dialogue.ratedCase = null;
      if (e.comment) {
        try {
          await cases.followUpComment(ctx.who, e.caseNumber, e.comment);
        } catch (err) {
          logger.warn({ err, caseNumber: e.caseNumber }, 'follow-up comment could not be added to the case');
          // Not "recorded" when it was not: the citizen hears what happened instead.
          const desk = refusal(err);
          return {
            notices: [desk ? say(ctx, 'followUpNotNow', { caseNumber: e.caseNumber, reason: desk.message }) : say(ctx, 'followUpFailed')],
            retract: ['followUp.thanks', 'followUp.thanksDissatisfied'],
          };
        }
      }
      return none();
    }
    try {
      await cases.followUp(e.caseNumber, { satisfaction: e.satisfaction, comment: e.comment }, citizen(ctx.who));
      return none();
    } catch (err) {
      const desk = refusal(err);
      logger[desk ? 'warn' : 'error']({ err, caseNumber: e.caseNumber }, 'recording a follow-up from the dialogue failed');
      return {
        notices: [desk ? say(ctx, 'followUpNotNow', { caseNumber: e.caseNumber, reason: desk.message }) : say(ctx, 'followUpFailed')],
        retract: ['followUp.thanks', 'followUp.thanksDissatisfied'],
      };
    }
  }

  async function progress(ctx: TurnContext, caseNumber: string | undefined): Promise<EffectOutcome> {
    try {
      if (caseNumber) {
        const view = await cases.progress(ctx.who, caseNumber);
        const lines = view ? [say(ctx, 'progressCase', { matter: view.matter, status: view.statusLabel }), ...view.lines] : [];
        const event: IntakeEvent = { type: 'progressResult', found: Boolean(view), caseNumber, lines };
        if (view && isOpen(view.status)) event.openCase = view.number;
        return { event, notices: [], retract: [] };
      }
      const mine = await cases.myCases(ctx.who, { limit: 10 });
      const event: IntakeEvent = {
        type: 'progressResult',
        found: mine.length > 0,
        caseNumber: mine.map((c) => c.number).join(say(ctx, 'listSeparator')),
        lines: mine.map((c) => say(ctx, 'progressMine', { caseNumber: c.number, matter: c.matter, status: c.statusLabel })),
      };
      // A list offers to withdraw only when it leaves no doubt which case is meant.
      const open = mine.filter((c) => isOpen(c.status));
      if (open.length === 1) event.openCase = open[0].number;
      return { event, notices: [], retract: [] };
    } catch (err) {
      logger.error({ err }, 'progress lookup from the dialogue failed');
      // The dialogue waits for a result; "not found" moves it on, and the notice says what really happened.
      return { event: { type: 'progressResult', found: false }, notices: [say(ctx, 'progressUnavailable')], retract: ['progress.notFound'] };
    }
  }

  async function withdraw(ctx: TurnContext, caseNumber: string): Promise<EffectOutcome> {
    try {
      // As the citizen, never as the system: the desk then refuses anyone but the case's reporter.
      const key = ctx.updateId ? `wd:${digest(ctx.who.channel, String(ctx.who.id), ctx.updateId)}` : undefined;
      await cases.withdraw(caseNumber, undefined, citizen(ctx.who), key ? { idempotencyKey: key } : undefined);
      return { event: { type: 'withdrawn', caseNumber }, notices: [], retract: [] };
    } catch (err) {
      const desk = refusal(err);
      logger[desk ? 'warn' : 'error']({ err, caseNumber }, 'withdrawing a case from the dialogue failed');
      return { event: { type: 'withdrawFailed', reason: desk ? desk.message : say(ctx, 'withdrawUnavailable') }, notices: [], retract: [] };
    }
  }

  async function openCases(ctx: TurnContext): Promise<EffectOutcome> {
    try {
      const mine = await cases.myCases(ctx.who, { openOnly: true, limit: 10 });
      return { event: { type: 'openCases', numbers: mine.map((c) => c.number) }, notices: [], retract: [] };
    } catch (err) {
      logger.error({ err }, 'listing open cases for a withdrawal failed');
      // "None open" moves the dialogue on; the notice says what really happened.
      return { event: { type: 'openCases', numbers: [] }, notices: [say(ctx, 'progressUnavailable')], retract: ['withdraw.none'] };
    }
  }

  async function flag(ctx: TurnContext, caseNumber: string | undefined): Promise<EffectOutcome> {
    if (!caseNumber) {
      // No case yet: the draft carries `agitated`, so registration alerts supervision; until then the log is the record.
      logger.warn({ chat: `${ctx.who.channel}:${ctx.who.id}` }, 'citizen sounds agitated while writing a report');
      return none();
    }
    // The citizen's words triggered it, not a staff member: the system performs it.
    await cases.flagAgitated(caseNumber, { kind: 'system' }).catch((err) => logger.warn({ err, caseNumber }, 'flagging an agitated citizen failed'));
    return none();
  }

  /**
   * Which units the citizen's words may mean. Certain only when they are exactly a unit's name,
   * alias or code; anything weaker is put to the citizen as a choice, so a guess never decides who
   * is complained about. The question replaces the prompt the step had already asked.
   */
  async function unitMatch(words: string): Promise<EffectOutcome> {
    try {
      const units = await deps.directory.units(deps.site);
      const codes = unitCandidates(words, units).slice(0, 6);
      const key = unitKey(words);
      const byCode = new Map(units.map((u) => [u._id, u]));
      const options = codes.map((c) => ({ code: c, name: byCode.get(c)?.name ?? c }));
      const only = codes.length === 1 ? byCode.get(codes[0]) : undefined;
      const certain = Boolean(only && (only._id.toLowerCase() === key || [only.name, ...(only.aliases ?? [])].some((n) => unitKey(n) === key)));
      const asks = options.length > 0 && !certain;
      return { event: { type: 'unitMatched', words, options, certain }, notices: [], retract: asks ? ['name.ask', 'phone.ask', 'summary.show'] : [] };
    } catch (err) {
      logger.warn({ err }, 'matching the unit the citizen named failed; the words are kept for the duty officer');
      return { event: { type: 'unitMatched', words, options: [], certain: false }, notices: [], retract: [] };
    }
  }

  return {
    perform(ctx: TurnContext, e: IntakeEffect): Promise<EffectOutcome> {
      switch (e.type) {
        case 'submitCase':
          return submit(ctx, e.draft);
        case 'addSupplement':
          return supplement(ctx, e);
        case 'recordFollowUp':
          return followUp(ctx, e);
        case 'queryProgress':
          return progress(ctx, e.caseNumber);
        case 'flagAgitated':
          return flag(ctx, e.caseNumber);
        case 'withdrawCase':
          return withdraw(ctx, e.caseNumber);
        case 'listOpenCases':
          return openCases(ctx);
        case 'matchUnit':
          return unitMatch(e.words);
      }
    },
  };
}

export type EffectRunner = ReturnType<typeof createEffectRunner>;
