// The channel-neutral conversation engine: one citizen update in, the replies of that turn out.
// Per chat: refuse a malformed update, then in one round trip take a token (a burst queues, a
// flood is refused), the chat's lock (so two updates of one chat never interleave, even on two
// bot processes) and the dialogue; answer a redelivery from it, step it, perform its effects
// through the services feeding their results back in the same turn, and in a second round trip
// save it together with the update id and the reply, fenced on the version and the lock, and
// free the chat.
import { type IntakeEvent, type IntakeReply, step } from '../../machines/intake/index.js';
import type { Sayable } from '../../models/sayable.js';
import { type ChannelIdentity, type Locale, OPEN_STATUSES } from '../../models/vocabulary.js';
import { parseFollowUpChoice } from '../cases/index.js';
import { CoordinationUnavailableError, type LeaseKeeper, LockLostError, lazyKeepAlive, type OpenTurnResult } from '../coordination/index.js';
import { renderIntakeReply } from '../locales/render-intake.js';
import { engineText } from './copy.js';
import { type Dialogue, decodeDialogue, markHandled, replyToRedelivery } from './dialogue.js';
import { createEffectRunner, type TurnContext } from './effects.js';
import { rateFromButton, typedRating } from './follow-up-button.js';
import { malformedInput } from './input.js';
import { conversationKeys } from './keys.js';
import { ConversationConflictError } from './errors.js';
import { createDialogueStore, type Loaded } from './store.js';
import type { ConversationEngineOptions, ConversationInput } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Per chat: 20 at once, then one a second. A citizen typing a report line by line, or tapping
 * through the menus as fast as they can (a tap every 0.4 s), stays within it once the queue is
 * counted; a script pasting hundreds of lines does not.
 */
export const DEFAULT_CHAT_RATE = { capacity: 20, refillPerSecond: 1 } as const;
/** How long a message beyond the burst may wait for its turn before it counts as a flood and is refused. */
export const DEFAULT_BURST_QUEUE_MS = 15_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A result event can cause another effect (never more than a couple in this machine); a loop is a bug. */
const MAX_RESULT_STEPS = 8;
/** Back-off while the chat is busy: quick first retries (a turn takes about a millisecond), capped so waiting does not hammer Redis. */
const FIRST_RETRY_MS = 5;
/** Decoded dialogues kept per engine (see `recent`): about 1 KB each. */
const RECENT_DIALOGUES = 10_000;
const MAX_RETRY_MS = 100;

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
  const lockLeaseMs = opts.lockLeaseMs ?? 5_000;
  const lockWaitMs = opts.lockWaitMs ?? 10_000;
  const rateLimit = opts.rateLimit ?? DEFAULT_CHAT_RATE;
  const burstQueueMs = opts.burstQueueMs ?? DEFAULT_BURST_QUEUE_MS;
  const store = createDialogueStore({ coordination, logger, snapshotTtlMs, knownTtlMs: opts.knownTtlMs ?? 365 * DAY_MS });
  const effects = createEffectRunner({ ...opts, logger });
  const text = (t: string): Sayable => ({ kind: 'text', text: t });

  /** Steps the dialogue with `event` and everything its effects answer, rendering the replies in order. */
  async function apply(ctx: TurnContext, event: IntakeEvent, out: Sayable[], lease: LeaseKeeper, depth = 0): Promise<void> {
    if (depth > MAX_RESULT_STEPS) throw new Error(`Dialogue effects fed back more than ${MAX_RESULT_STEPS} results in one turn: a loop between the intake machine and the engine.`);
    const result = step(ctx.dialogue.snapshot, event);
    ctx.dialogue.snapshot = result.snapshot;
    ctx.locale = result.snapshot.context.locale;
    if (result.replies.length === 0 && result.effects.length === 0) return;
    const outcomes = [];
    // An effect may wait on the case store for a while: only now can the lease run out.
    if (result.effects.length > 0) lease.arm();
    for (const e of result.effects) outcomes.push(await effects.perform(ctx, e));
    const retracted = new Set(outcomes.flatMap((o) => o.retract));
    const said = retracted.size ? result.replies.filter((r: IntakeReply) => !retracted.has(r.key)) : result.replies;
    for (const r of said) out.push(renderIntakeReply(r, ctx.locale, opts.siteInfo));
    for (const o of outcomes) for (const n of o.notices) out.push(text(n));
    for (const o of outcomes) if (o.event) await apply(ctx, o.event, out, lease, depth + 1);
  }

  /** States where a chat only waits for what the citizen does next, so a typed rating cannot mean anything else. */
  const IDLE_STATES = ['welcome', 'menu', 'filed'];
  const idle = (ctx: TurnContext) => IDLE_STATES.includes(String(ctx.dialogue.snapshot.value));
  /** Whether ratedByTyping can apply at all (a text in an idle state), without the cost of an async call. */
  const idleText = (ctx: TurnContext, input: ConversationInput) => input.type === 'text' && idle(ctx);
  /** Whether forgetClosedCases has anything to look at. */
  const hasCaseToCheck = (ctx: TurnContext) => idle(ctx) && Boolean(ctx.dialogue.snapshot.context.caseNumber || ctx.dialogue.snapshot.context.withdrawable);

  /**
   * "满意" / "不满意，还是没办" typed at any later moment, from the menu or after filing, answers the
   * follow-up of the chat's case waiting for one, as the button would; 1–3 do so after filing,
   * where a lone digit would otherwise be added to the case as a supplement.
   */
  async function ratedByTyping(ctx: TurnContext, input: ConversationInput, out: Sayable[], lease: LeaseKeeper): Promise<boolean> {
    const state = String(ctx.dialogue.snapshot.value);
    if (input.type !== 'text' || !IDLE_STATES.includes(state)) return false;
    const typed = typedRating(input.text, state === 'filed');
    if (!typed) return false;
    // The case store may be slow: only now can the lease run out.
    lease.arm();
    const waiting = (await opts.cases.myCases(ctx.who, { openOnly: true, limit: 10 })).find((c) => c.status === 'replied');
    if (!waiting) return false;
    const rated = await rateFromButton(opts.cases, ctx, { number: waiting.number, ...typed }, logger);
    if (!rated.recorded) {
      out.push(...rated.notices.map(text));
      return true;
    }
    await apply(ctx, { type: 'followUpAsked', caseNumber: waiting.number }, [], lease);
    ctx.dialogue.ratedCase = waiting.number;
    if (!typed.comment) {
      await apply(ctx, { type: 'choice', id: `rate:${typed.satisfaction}` }, out, lease);
      return true;
    }
    // The comment came with the rating: nothing more to ask, only thanks.
    await apply(ctx, { type: 'choice', id: `rate:${typed.satisfaction}` }, [], lease);
    await apply(ctx, { type: 'choice', id: 'comment:none' }, out, lease);
    return true;
  }

  /**
   * The menu offers to add to or withdraw the chat's last case; once staff archived it (or it
   * ended otherwise) the dialogue forgets it. After filing, the citizen is told once and what they
   * sent is not claimed as added. True when that notice answered the turn.
   */
  async function forgetClosedCases(ctx: TurnContext, input: ConversationInput, out: Sayable[], lease: LeaseKeeper): Promise<boolean> {
    const state = String(ctx.dialogue.snapshot.value);
    if (!IDLE_STATES.includes(state)) return false;
    const { caseNumber, withdrawable } = ctx.dialogue.snapshot.context;
    if (caseNumber || withdrawable) lease.arm();
    let answered = false;
    for (const n of new Set([caseNumber, withdrawable].filter((x): x is string => Boolean(x)))) {
      const p = await opts.cases.progress(ctx.who, n);
      if (p && OPEN_STATUSES.includes(p.status as (typeof OPEN_STATUSES)[number])) continue;
      const speak = String(ctx.dialogue.snapshot.value) === 'filed' && (input.type === 'text' || input.type === 'attachment');
      await apply(ctx, { type: 'caseClosed', caseNumber: n, status: p?.statusLabel ?? '' }, speak ? out : [], lease);
      answered ||= speak;
    }
    return answered;
  }

  /** After expiry only a request that makes sense on its own is carried out; anything else answered the old dialogue. */
  const survivesExpiry = (input: ConversationInput) => input.type === 'command' && (input.name === 'progress' || input.name === 'help');

  /** The turn proper, on a held chat: returns what to say and what to write (null: nothing). */
  async function turn(who: ChannelIdentity, input: ConversationInput, loaded: Loaded, lease: LeaseKeeper): Promise<{ out: Sayable[]; write: Dialogue | null }> {
    const dialogue: Dialogue = { ...loaded.dialogue };
    // Handled before (a redelivery, or the same update raced to another process): its effects
    // ran and its turn was saved together with this mark, so only the answer is given again.
    const again = input.updateId ? replyToRedelivery(dialogue, input.updateId) : null;
    if (again) return { out: again, write: null };
    const ctx: TurnContext = { who, dialogue, locale: dialogue.snapshot.context.locale, updateId: input.updateId };
    const out: Sayable[] = [];
    const followUp = input.type === 'choice' ? parseFollowUpChoice(input.id) : null;
    if (followUp) {
      // A follow-up button belongs to a message from the case, not to the dialogue: no "expired" notice.
      lease.arm();
      const rated = await rateFromButton(opts.cases, ctx, followUp, logger);
      if (!rated.recorded) {
        const notices = rated.notices.map(text);
        // Nothing to save but the mark; without an update id there is nothing to remember either.
        if (!input.updateId) return { out: notices, write: null };
        out.push(...notices);
      } else {
        await apply(ctx, { type: 'followUpAsked', caseNumber: followUp.number }, [], lease);
        ctx.dialogue.ratedCase = followUp.number;
        await apply(ctx, { type: 'choice', id: `rate:${followUp.satisfaction}` }, out, lease);
      }
    } else if (loaded.kind !== 'expired' && idleText(ctx, input) && (await ratedByTyping(ctx, input, out, lease))) {
      // The follow-up was answered in words (or its number) instead of its button.
    } else {
      if (loaded.kind === 'expired') await apply(ctx, { type: 'expired' }, out, lease);
      // Checked here first: most turns are mid-report, with no case to look up and nothing to await.
      const closedNow = loaded.kind !== 'expired' && hasCaseToCheck(ctx) && (await forgetClosedCases(ctx, input, out, lease));
      if (!closedNow && (loaded.kind !== 'expired' || survivesExpiry(input))) await apply(ctx, citizenEvent(input), out, lease);
    }
    dialogue.turns += 1;
    if (input.updateId) markHandled(dialogue, input.updateId, out);
    return { out, write: dialogue };
  }

  /** Runs the turn on a chat openTurn has taken, then writes it and frees the chat in one step. */
  async function held(who: ChannelIdentity, input: ConversationInput, key: string, opened: Extract<OpenTurnResult, { kind: 'open' }>): Promise<Sayable[]> {
    const lease = lazyKeepAlive(opened.lock, lockLeaseMs);
    let result: { out: Sayable[]; write: Dialogue | null };
    let loaded: Loaded;
    try {
      const mine = opened.current && recent.get(key);
      loaded =
        mine && mine.version === opened.current?.version
          ? { kind: 'live', dialogue: mine.dialogue, version: mine.version }
          : store.loaded(who, opened.current, opened.also, input.locale);
      result = await turn(who, input, loaded, lease);
    } catch (e) {
      lease.stop();
      // Nothing of this turn is written; free the chat for the redelivery (the lease would anyway).
      await coordination.closeTurn(key, opened.lock, null).catch(() => undefined);
      throw e;
    }
    lease.stop();
    const write = result.write ? store.write(who, loaded, result.write) : null;
    const closed = await coordination.closeTurn(key, opened.lock, write);
    // A lost lease means another process may be running this chat now: nothing was written.
    if (!closed.ok && closed.reason === 'lockLost') throw new LockLostError(key);
    if (!closed.ok) throw new ConversationConflictError(key, loaded.version, closed.current?.version ?? 0);
    if (result.write && closed.version !== undefined) remember(key, closed.version, result.write);
    if (result.write && write) opts.onTurn?.({ who, state: String(result.write.snapshot.value), bytes: Buffer.byteLength(write.value, 'utf8'), turns: result.write.turns });
    return result.out;
  }

  /**
   * The dialogues this process wrote last, by chat, with the version they were written as.
   * Versions never repeat, so when openTurn reads that version the stored text is exactly this
   * dialogue encoded, and decoding it again (JSON and rebuilding the machine snapshot) is skipped.
   * Another process's turn writes another version, so a chat that moves between processes is
   * simply decoded. Bounded: the oldest entries go first.
   */
  const recent = new Map<string, { version: number; dialogue: Dialogue }>();
  function remember(key: string, version: number, dialogue: Dialogue) {
    recent.delete(key);
    recent.set(key, { version, dialogue });
    if (recent.size > RECENT_DIALOGUES) recent.delete(recent.keys().next().value as string);
  }

  /** The chat is busy (its previous update is still running, maybe on another process): retry within the wait budget. */
  async function waitForChat(key: string, alsoRead: string): Promise<Extract<OpenTurnResult, { kind: 'open' }> | null> {
    const deadline = performance.now() + lockWaitMs;
    let retry = FIRST_RETRY_MS;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return null;
      // Jitter spreads contenders so they do not retry in lock-step.
      await sleep(Math.min(remaining, retry * (0.5 + Math.random())));
      retry = Math.min(MAX_RETRY_MS, retry * 2);
      const opened = await coordination.openTurn(key, { leaseMs: lockLeaseMs, alsoRead });
      if (opened.kind === 'open') return opened;
    }
  }

  async function slowDown(who: ChannelIdentity, retryAfterMs: number): Promise<Sayable[]> {
    // Told once per stretch of flooding; answering every extra message would flood the chat back.
    const first = await coordination.setIfAbsent(conversationKeys(who).slowDownTold, '1', Math.max(1000, Math.ceil(retryAfterMs)));
    return first ? [text(engineText('slowDown', await store.locale(who)))] : [];
  }

  async function handleUpdate(who: ChannelIdentity, input: ConversationInput): Promise<Sayable[]> {
    const bad = malformedInput(input);
    if (bad) {
      // Refused before the lock and before any effect: nothing half-done for a retry to repeat.
      logger.warn({ chat: `${who.channel}:${who.id}`, problem: bad }, 'malformed update refused');
      return [text(engineText('malformed', await store.locale(who)))];
    }
    const keys = conversationKeys(who);
    const key = keys.conversation;
    // Common path, one round trip: the chat's token, its lock and its dialogue (and marker).
    let opened = await coordination.openTurn(key, { leaseMs: lockLeaseMs, token: { limit: rateLimit, maxDelayMs: burstQueueMs }, alsoRead: keys.known });
    if (opened.kind === 'refused') return slowDown(who, opened.retryAfterMs);
    if (opened.kind === 'queued') {
      // A burst waits its turn (the token is already taken) rather than being dropped.
      await sleep(opened.delayMs);
      opened = await coordination.openTurn(key, { leaseMs: lockLeaseMs, alsoRead: keys.known });
    }
    const open = opened.kind === 'open' ? opened : await waitForChat(key, keys.known);
    if (!open) {
      logger.warn({ chat: key, waitMs: lockWaitMs }, 'chat stayed busy; update not handled');
      return [text(engineText('busy', await store.locale(who)))];
    }
    return held(who, input, key, open);
  }

  /** The stored dialogue of a chat, for operators and tests; null when there is none. */
  async function inspect(who: ChannelIdentity): Promise<DialogueView | null> {
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
  }

  return {
    /**
     * Handles one citizen update and returns what to say, in order. A redelivered update
     * (same updateId) changes nothing and returns the reply it was given (the channel may have
     * crashed before sending it); [] for an older one whose later updates were answered since.
     * When Redis cannot be reached the citizen is told the system is busy (nothing was saved).
     * Throws only when the turn could not be saved (its lease was lost); the channel should then
     * retry the update.
     */
    async handle(who: ChannelIdentity, input: ConversationInput): Promise<Sayable[]> {
      try {
        return await handleUpdate(who, input);
      } catch (e) {
        if (!(e instanceof CoordinationUnavailableError)) throw e;
        // Redis is down (or restarting): nothing of this turn was saved, and whatever an effect
        // did is keyed to be found again. Say so rather than fall silent; the citizen sends it
        // again, and the desk answers as soon as Redis is back.
        logger.warn({ chat: `${who.channel}:${who.id}`, operation: e.operation }, 'coordination unavailable; update not handled');
        return [text(engineText('unavailable', input.locale ?? 'zh'))];
      }
    },

    /** The stored dialogue of a chat, for operators and tests; null when there is none. */
    inspect,
  };

}

/** Strips the channel's envelope fields so only the machine's event goes in. */
function citizenEvent(input: ConversationInput): IntakeEvent {
  const { updateId: _u, locale: _l, ...event } = input;
  return event as IntakeEvent;
}

export type ConversationEngine = ReturnType<typeof createConversationEngine>;
