// The channel-neutral conversation engine: one citizen update in, the replies of that turn out.
// Per chat: rate limit, then the chat's lock (so two updates of one chat never interleave, even
// on two bot processes), de-duplication, load the dialogue, step it, perform its effects through
// the services feeding their results back in the same turn, save it, remember the update id.
import { type IntakeEvent, type IntakeReply, step } from '../../machines/intake/index.js';
import type { Sayable } from '../../models/sayable.js';
import type { ChannelIdentity, Locale } from '../../models/vocabulary.js';
import { parseFollowUpChoice } from '../cases/index.js';
import { LockTimeoutError } from '../coordination/index.js';
import { renderIntakeReply } from '../locales/render-intake.js';
import { engineText } from './copy.js';
import { type Dialogue, decodeDialogue } from './dialogue.js';
import { createEffectRunner, type TurnContext } from './effects.js';
import { ConversationInputError } from './errors.js';
import { rateFromButton } from './follow-up-button.js';
import { conversationKeys } from './keys.js';
import { createDialogueStore, type Loaded } from './store.js';
import { CITIZEN_EVENT_TYPES, type ConversationEngineOptions, type ConversationInput } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A result event can cause another effect (never more than a couple in this machine); a loop is a bug. */
const MAX_RESULT_STEPS = 8;

export interface TurnInfo {
  who: ChannelIdentity;
  /** Dialogue state after the turn. */
  state: string;
  /** Bytes stored for the dialogue snapshot. */
  bytes: number;
  turns: number;
}

export interface DialogueView {
  state: string;
  locale: Locale;
  turns: number;
  caseNumber: string | null;
  bytes: number;
}

export function createConversationEngine(opts: ConversationEngineOptions & { onTurn?: (info: TurnInfo) => void }) {
  const { coordination, logger } = opts;
  const snapshotTtlMs = opts.snapshotTtlMs ?? 7 * DAY_MS;
  const lockLeaseMs = opts.lockLeaseMs ?? 15_000;
  const lockWaitMs = opts.lockWaitMs ?? 10_000;
  const rateLimit = opts.rateLimit ?? { capacity: 8, refillPerSecond: 0.5 };
  const dedupTtlMs = opts.dedupTtlMs ?? DAY_MS;
  const store = createDialogueStore({ coordination, logger, snapshotTtlMs, knownTtlMs: opts.knownTtlMs ?? 365 * DAY_MS });
  const effects = createEffectRunner({ ...opts, logger });
  const text = (t: string): Sayable => ({ kind: 'text', text: t });

  /** Steps the dialogue with `event` and everything its effects answer, rendering the replies in order. */
  async function apply(ctx: TurnContext, event: IntakeEvent, out: Sayable[], depth = 0): Promise<void> {
    if (depth > MAX_RESULT_STEPS) throw new Error(`Dialogue effects fed back more than ${MAX_RESULT_STEPS} results in one turn: a loop between the intake machine and the engine.`);
    const result = step(ctx.dialogue.snapshot, event);
    ctx.dialogue.snapshot = result.snapshot;
    ctx.locale = result.snapshot.context.locale;
    const outcomes = [];
    for (const e of result.effects) outcomes.push(await effects.perform(ctx, e));
    const retracted = new Set(outcomes.flatMap((o) => o.retract));
    const said = result.replies.filter((r: IntakeReply) => !retracted.has(r.key));
    out.push(...said.map((r) => renderIntakeReply(r, ctx.locale)), ...outcomes.flatMap((o) => o.notices.map(text)));
    for (const o of outcomes) if (o.event) await apply(ctx, o.event, out, depth + 1);
  }

  /** After expiry only a request that makes sense on its own is carried out; anything else answered the old dialogue. */
  const survivesExpiry = (input: ConversationInput) => input.type === 'command' && (input.name === 'progress' || input.name === 'help');

  async function turn(who: ChannelIdentity, input: ConversationInput, signal: AbortSignal): Promise<Sayable[]> {
    const keys = conversationKeys(who);
    if (input.updateId && (await coordination.get(keys.update(input.updateId))) !== null) return [];
    const loaded: Loaded = await store.load(who, input.locale);
    const dialogue: Dialogue = { ...loaded.dialogue };
    const ctx: TurnContext = { who, dialogue, locale: dialogue.snapshot.context.locale, updateId: input.updateId };
    const out: Sayable[] = [];
    const followUp = input.type === 'choice' ? parseFollowUpChoice(input.id) : null;
    if (followUp) {
      // A follow-up button belongs to a message from the case, not to the dialogue: no "expired" notice.
      const rated = await rateFromButton(opts.cases, ctx, followUp, logger);
      if (!rated.recorded) return rated.notices.map(text);
      await apply(ctx, { type: 'followUpAsked', caseNumber: followUp.number }, []);
      ctx.dialogue.ratedCase = followUp.number;
      await apply(ctx, { type: 'choice', id: `rate:${followUp.satisfaction}` }, out);
    } else {
      if (loaded.kind === 'expired') await apply(ctx, { type: 'expired' }, out);
      if (loaded.kind !== 'expired' || survivesExpiry(input)) await apply(ctx, citizenEvent(input), out);
    }
    // A lost lease means another process may be running this chat now: write nothing.
    signal.throwIfAborted();
    dialogue.turns += 1;
    const bytes = await store.save(who, loaded, dialogue);
    if (input.updateId) await coordination.set(keys.update(input.updateId), '1', { ttlMs: dedupTtlMs });
    opts.onTurn?.({ who, state: String(dialogue.snapshot.value), bytes, turns: dialogue.turns });
    return out;
  }

  async function slowDown(who: ChannelIdentity, retryAfterMs: number): Promise<Sayable[]> {
    // Told once per stretch of flooding; answering every extra message would flood the chat back.
    const first = await coordination.setIfAbsent(conversationKeys(who).slowDownTold, '1', Math.max(1000, Math.ceil(retryAfterMs)));
    return first ? [text(engineText('slowDown', await store.locale(who)))] : [];
  }

  return {
    /**
     * Handles one citizen update and returns what to say, in order. A redelivered update
     * (same updateId) returns [] and changes nothing. Throws only when the coordination store
     * is unreachable or the turn could not be saved; the channel should then retry the update.
     */
    async handle(who: ChannelIdentity, input: ConversationInput): Promise<Sayable[]> {
      if (!input || !(CITIZEN_EVENT_TYPES as readonly string[]).includes(input.type)) throw new ConversationInputError(input);
      const keys = conversationKeys(who);
      if (input.updateId && (await coordination.get(keys.update(input.updateId))) !== null) return [];
      const token = await coordination.takeToken(keys.conversation, rateLimit);
      if (!token.allowed) return slowDown(who, token.retryAfterMs);
      try {
        return await coordination.withLock(keys.conversation, lockLeaseMs, (signal) => turn(who, input, signal), { waitMs: lockWaitMs });
      } catch (e) {
        if (!(e instanceof LockTimeoutError)) throw e;
        logger.warn({ chat: keys.conversation, waitMs: lockWaitMs }, 'chat stayed busy; update not handled');
        return [text(engineText('busy', await store.locale(who)))];
      }
    },

    /** The stored dialogue of a chat, for operators and tests; null when there is none. */
    async inspect(who: ChannelIdentity): Promise<DialogueView | null> {
      const stored = await coordination.getVersioned(conversationKeys(who).conversation);
      if (!stored) return null;
      const d = decodeDialogue(stored.value);
      return {
        state: String(d.snapshot.value),
        locale: d.snapshot.context.locale,
        turns: d.turns,
        caseNumber: d.snapshot.context.caseNumber,
        bytes: Buffer.byteLength(stored.value, 'utf8'),
      };
    },
  };
}

/** Strips the channel's envelope fields so only the machine's event goes in. */
function citizenEvent(input: ConversationInput): IntakeEvent {
  const { updateId: _u, locale: _l, ...event } = input;
  return event as IntakeEvent;
}

export type ConversationEngine = ReturnType<typeof createConversationEngine>;
