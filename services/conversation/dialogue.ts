// One chat's dialogue as stored in Redis: the intake snapshot plus the little the engine keeps
// beside it. Stored compactly, because Redis holds one per chat for days: only the state name
// and the context fields that differ from a fresh dialogue, under short names (the outbox and
// effects of the last turn are already delivered, so never kept); the update ids as base-36
// differences; and the last reply with every answer of the draft it repeats (the summary repeats
// them all) replaced by a reference, so the account is stored once.
// The update ids already handled live here too, written in the same compare-and-set as the turn
// they belong to: "saved" and "marked as handled" can never be split by a crash.
import { randomBytes } from 'node:crypto';
import { type IntakeSnapshot, IntakeSnapshotError, restoreIntake, startIntake } from '../../machines/intake/index.js';
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

const FORMAT = 2;

/** A text in a stored reply: as is, or parts where a number is the index of a draft answer in DRAFT_REFS. */
type StoredText = string | (string | number)[];
type StoredSayable = Omit<Sayable, 'text' | 'caption'> & { text?: StoredText; caption?: StoredText };

interface Stored {
  v: number;
  d: string;
  t: number;
  s: string;
  c: Record<string, unknown>;
  r?: string;
  /** Seen update ids: base-36 first id and differences when all are decimal, else the ids. */
  u?: string | string[];
  o?: StoredSayable[];
}

export function newDialogue(locale: Locale): Dialogue {
  return { snapshot: startIntake({ locale }), id: randomBytes(6).toString('base64url'), turns: 0, ratedCase: null, seen: [], lastReply: [] };
}

// Defaults are those of a fresh zh dialogue; a field equal to its default is left out. Every
// default is a primitive or null, so === decides (an object field is never its default).
const DEFAULTS = startIntake({ locale: 'zh' }).context as unknown as Record<string, unknown>;
const NEVER_STORED = new Set(['outbox', 'effects']);

/** Short stored names of the context and draft fields; a field not listed keeps its own name. */
function names(table: Record<string, string>) {
  const short = new Map(Object.entries(table));
  const long = new Map(Object.entries(table).map(([k, v]) => [v, k]));
  return { short, long };
}
const CONTEXT_NAMES = names({
  locale: 'l',
  step: 'p',
  draft: 'd',
  editing: 'e',
  pendingScope: 'q',
  scopeCleared: 'k',
  agitated: 'g',
  caseNumber: 'n',
  followUp: 'f',
  withdrawable: 'w',
});
const DRAFT_NAMES = names({
  scopeOk: 'o',
  matter: 'm',
  problem: 'p',
  account: 'a',
  attachments: 'f',
  involvedUnit: 'i',
  unitAnswered: 'u',
  reporterName: 'n',
  reporterPhone: 't',
});
/** The draft answers a reply may repeat, in reference order; short ones are not worth a reference. */
const DRAFT_REFS = ['account', 'matter', 'involvedUnit', 'reporterName', 'reporterPhone'] as const;
const MIN_REF_LENGTH = 4;

function rename(obj: Record<string, unknown>, table: Map<string, string>, skip?: (k: string, v: unknown) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in obj) {
    const v = obj[k];
    if (skip?.(k, v)) continue;
    out[table.get(k) ?? k] = v;
  }
  return out;
}

function encodeDraft(draft: Record<string, unknown>): Record<string, unknown> {
  return rename(draft, DRAFT_NAMES.short, (k, v) => v === undefined || (k === 'attachments' && Array.isArray(v) && v.length === 0));
}

function decodeDraft(stored: Record<string, unknown>): Record<string, unknown> {
  const draft = rename(stored, DRAFT_NAMES.long);
  draft.attachments ??= [];
  return draft;
}

/** The draft answers long enough to be referenced from a reply, by index; null when there is no draft. */
function refsOf(context: Record<string, unknown>): (string | undefined)[] | null {
  const draft = context.draft as Record<string, unknown> | null;
  if (!draft) return null;
  return DRAFT_REFS.map((k) => {
    const v = draft[k];
    return typeof v === 'string' && v.length >= MIN_REF_LENGTH ? v : undefined;
  });
}

function encodeText(text: string, refs: (string | undefined)[] | null): StoredText {
  if (!refs) return text;
  let parts: (string | number)[] = [text];
  let referenced = false;
  // Longest first, so the account is never cut up by a shorter answer it happens to contain.
  const order = refs.map((r, i) => [r, i] as const).filter(([r]) => r !== undefined && text.includes(r)).sort((x, y) => y[0]!.length - x[0]!.length);
  for (const [ref, i] of order) {
    const next: (string | number)[] = [];
    for (const part of parts) {
      if (typeof part !== 'string' || !part.includes(ref!)) {
        next.push(part);
        continue;
      }
      part.split(ref!).forEach((piece, j) => {
        if (j > 0) next.push(i);
        if (piece) next.push(piece);
      });
      referenced = true;
    }
    parts = next;
  }
  return referenced ? parts : text;
}

function decodeText(stored: StoredText, refs: (string | undefined)[] | null): string {
  if (typeof stored === 'string') return stored;
  let text = '';
  for (const part of stored) {
    if (typeof part === 'string') text += part;
    else {
      const ref = refs?.[part];
      if (ref === undefined) throw new IntakeSnapshotError(`Stored reply refers to draft answer ${part}, which is not there`, stored);
      text += ref;
    }
  }
  return text;
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

function encodeSeen(seen: string[]): string | string[] {
  if (!seen.every((u) => DECIMAL.test(u))) return seen;
  let previous = 0;
  return seen
    .map((u) => {
      const n = Number(u);
      const part = (n - previous).toString(36);
      previous = n;
      return part;
    })
    .join(',');
}

function decodeSeen(stored: unknown): string[] {
  if (Array.isArray(stored)) return stored.filter((u): u is string => typeof u === 'string');
  if (typeof stored !== 'string' || stored === '') return [];
  let previous = 0;
  return stored.split(',').map((part) => {
    previous += Number.parseInt(part, 36);
    return String(previous);
  });
}

export function encodeDialogue(d: Dialogue): string {
  const value = String(d.snapshot.value);
  const context = d.snapshot.context as unknown as Record<string, unknown>;
  const c: Record<string, unknown> = {};
  for (const k in context) {
    const v = context[k];
    if (NEVER_STORED.has(k) || v === DEFAULTS[k] || (k === 'step' && v === value)) continue;
    c[CONTEXT_NAMES.short.get(k) ?? k] = k === 'draft' && v ? encodeDraft(v as Record<string, unknown>) : v;
  }
  const stored: Stored = { v: FORMAT, d: d.id, t: d.turns, s: value, c };
  if (d.ratedCase) stored.r = d.ratedCase;
  if (d.seen.length > 0) {
    stored.u = encodeSeen(d.seen);
    const refs = refsOf(context);
    stored.o = d.lastReply.map((s) => {
      if (s.kind === 'file') return s.caption === undefined ? s : { ...s, caption: encodeText(s.caption, refs) };
      return { ...s, text: encodeText(s.text, refs) };
    });
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
  if ((stored?.v !== FORMAT && stored?.v !== 1) || typeof stored.d !== 'string' || typeof stored.t !== 'number' || typeof stored.c !== 'object' || stored.c === null) {
    throw new IntakeSnapshotError(`Stored dialogue has an unknown format (v=${String(stored?.v)})`, stored);
  }
  // Format 1 (before names were shortened) kept every field under its own name and the step always.
  const c = stored.v === 1 ? stored.c : rename(stored.c, CONTEXT_NAMES.long);
  if (stored.v !== 1) {
    if (c.draft) c.draft = decodeDraft(c.draft as Record<string, unknown>);
    c.step ??= stored.s;
  }
  const context: Record<string, unknown> = { ...DEFAULTS, ...c, outbox: [], effects: [] };
  const snapshot = restoreIntake({ status: 'active', value: stored.s, context });
  const refs = refsOf(context);
  const lastReply = Array.isArray(stored.o)
    ? stored.o.map((s) => {
        if (s.kind === 'file') return (s.caption === undefined ? s : { ...s, caption: decodeText(s.caption, refs) }) as Sayable;
        return { ...s, text: decodeText(s.text ?? '', refs) } as Sayable;
      })
    : [];
  return { snapshot, id: stored.d, turns: stored.t, ratedCase: stored.r ?? null, seen: decodeSeen(stored.u), lastReply };
}

/** Records that `updateId` was handled and answered with `reply`; the oldest id falls out of the window. */
export function markHandled(d: Dialogue, updateId: string, reply: Sayable[]): void {
  const seen = d.seen.filter((u) => u !== updateId);
  seen.push(updateId);
  d.seen = seen.length > SEEN_UPDATES ? seen.slice(-SEEN_UPDATES) : seen;
  d.lastReply = reply;
}

/** The answer to a redelivered update: the reply again when it was the newest, nothing for older ones (later replies have been given since). */
export function replyToRedelivery(d: Dialogue, updateId: string): Sayable[] | null {
  const at = d.seen.indexOf(updateId);
  if (at < 0) return null;
  return at === d.seen.length - 1 ? d.lastReply : [];
}
