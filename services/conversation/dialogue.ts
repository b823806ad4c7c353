// One chat's dialogue as stored in Redis: the intake snapshot plus the little the engine keeps
// beside it. Stored compactly: only the state name and the context fields that differ from a
// fresh dialogue (the outbox and effects of the last turn are already delivered, so never kept).
// The update ids already handled live here too, written in the same compare-and-set as the turn
// they belong to: "saved" and "marked as handled" can never be split by a crash.
import { randomBytes } from 'node:crypto';
import { type IntakeSnapshot, IntakeSnapshotError, persistIntake, restoreIntake, startIntake } from '../../machines/intake/index.js';
import type { Sayable } from '../../models/sayable.js';
import type { Locale } from '../../models/vocabulary.js';

/** Update ids remembered per chat. Platforms redeliver recent updates only (Telegram: the unacknowledged ones), so a short window suffices. */
export const SEEN_UPDATES = 16;

export interface Dialogue {
  snapshot: IntakeSnapshot;
  /** Random per dialogue: part of the submission idempotency key, so a new dialogue never reuses an old case. */
  id: string;
  /** Turns handled so far (one per citizen update that changed the dialogue). */
  turns: number;
  /** A follow-up rating recorded straight from its button; the machine's later recordFollowUp only adds the comment. */
  ratedCase: string | null;
  /** Ids of the updates already handled, oldest first, at most SEEN_UPDATES. */
  seen: string[];
  /** What the newest handled update was answered, so a redelivery (the reply was lost) is answered again. */
  lastReply: Sayable[];
}

const FORMAT = 1;

interface Stored {
  v: number;
  d: string;
  t: number;
  s: string;
  c: Record<string, unknown>;
  r?: string;
  u?: string[];
  o?: Sayable[];
}

export function newDialogue(locale: Locale): Dialogue {
  return { snapshot: startIntake({ locale }), id: randomBytes(6).toString('base64url'), turns: 0, ratedCase: null, seen: [], lastReply: [] };
}

// Defaults are those of a fresh zh dialogue; a field equal to its default is left out.
const DEFAULTS = startIntake({ locale: 'zh' }).context as unknown as Record<string, unknown>;
const NEVER_STORED = new Set(['outbox', 'effects']);

export function encodeDialogue(d: Dialogue): string {
  const persisted = persistIntake(d.snapshot) as { value: string; context: Record<string, unknown> };
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(persisted.context)) {
    if (NEVER_STORED.has(k) || JSON.stringify(v) === JSON.stringify(DEFAULTS[k])) continue;
    c[k] = v;
  }
  const stored: Stored = { v: FORMAT, d: d.id, t: d.turns, s: persisted.value, c };
  if (d.ratedCase) stored.r = d.ratedCase;
  if (d.seen.length > 0) {
    stored.u = d.seen;
    stored.o = d.lastReply;
  }
  return JSON.stringify(stored);
}

/** Throws IntakeSnapshotError when the stored text is not a dialogue this version can resume. */
export function decodeDialogue(raw: string): Dialogue {
  let stored: Partial<Stored>;
  try {
    stored = JSON.parse(raw) as Partial<Stored>;
  } catch {
    throw new IntakeSnapshotError('Stored dialogue is not JSON', raw);
  }
  if (stored?.v !== FORMAT || typeof stored.d !== 'string' || typeof stored.t !== 'number' || typeof stored.c !== 'object') {
    throw new IntakeSnapshotError(`Stored dialogue has an unknown format (v=${String(stored?.v)})`, stored);
  }
  const context = { ...DEFAULTS, ...stored.c, outbox: [], effects: [] };
  const snapshot = restoreIntake({ status: 'active', value: stored.s, context });
  const seen = Array.isArray(stored.u) ? stored.u.filter((u): u is string => typeof u === 'string') : [];
  return { snapshot, id: stored.d, turns: stored.t, ratedCase: stored.r ?? null, seen, lastReply: Array.isArray(stored.o) ? stored.o : [] };
}

/** Records that `updateId` was handled and answered with `reply`; the oldest id falls out of the window. */
export function markHandled(d: Dialogue, updateId: string, reply: Sayable[]): void {
  d.seen = [...d.seen.filter((u) => u !== updateId), updateId].slice(-SEEN_UPDATES);
  d.lastReply = reply;
}

/** The answer to a redelivered update: the reply again when it was the newest, nothing for older ones (later replies have been given since). */
export function replyToRedelivery(d: Dialogue, updateId: string): Sayable[] | null {
  const at = d.seen.indexOf(updateId);
  if (at < 0) return null;
  return at === d.seen.length - 1 ? d.lastReply : [];
}
