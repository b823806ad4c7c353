// The one way a case changes. Load it, check who may act, let the lifecycle machine decide,
// build the change and the messages it causes, and write all of it in one update guarded by the
// version read — so a concurrent change loses cleanly with a ConflictError instead of being
// overwritten, and a crash never separates a change from its messages.
import { type CaseEvent, type LifecycleState, decide } from '../../machines/case-lifecycle.js';
import { type CaseAction, actionFor } from '../../machines/permissions.js';
import type { CaseDoc, DeadlineKind, TimelineEvent } from '../../models/case.js';
import { nextAttentionAt } from '../deadlines/index.js';
import { ConflictError, DeskError, InvalidInputError, NotFoundError } from '../errors.js';
import { OutboxBatch } from '../recipients.js';
import { type Directory, memoDirectory } from '../directory/index.js';
import type { CaseDeps } from './deps.js';
import { type Performer, actorOf, authorizeOn } from './performer.js';
import { type AuditEntry, batchesOf } from './store-batches.js';

const CASE_NUMBER = /^[A-Z]{0,4}\d{11,14}$/;
/** How many applied idempotency keys a case remembers; far more than any retry window needs. */
const KEPT_KEYS = 200;

export interface ChangeContext {
  doc: CaseDoc;
  now: Date;
  /** The lifecycle state after the event (the current one when there is no event). */
  next: LifecycleState;
  batch: OutboxBatch;
  performer: Performer;
  /** The directory for this change: a site, unit or role asked about twice is read once. */
  directory: Directory;
}

export interface ChangeParts {
  /** Fields to set (dotted paths allowed). Never `status`, `lifecycle`, `version`: those are derived. */
  set?: Record<string, unknown>;
  /** Values to append, by array path. */
  push?: Record<string, unknown[]>;
  timeline: Omit<TimelineEvent, 'at' | 'actor'>[];
  /** Deadlines this change opens (or moves) and the ones it meets. */
  deadlines?: {
    open?: Partial<Record<DeadlineKind, { at: Date; provisional: boolean }>>;
    meet?: DeadlineKind[];
    /** Deadlines that stop running without being met (the follow-up while a unit handles the case). */
    drop?: DeadlineKind[];
  };
}

export interface ChangeSpec {
  /** The lifecycle event this change is; none for changes that do not move the case (a supplement). */
  event?: CaseEvent;
  /** The permission to check; defaults to the event's action. */
  action?: CaseAction;
  build(ctx: ChangeContext): Promise<ChangeParts> | ChangeParts;
}

export interface ChangeOptions {
  /** A retried command with the same key does nothing the second time. */
  idempotencyKey?: string;
  /** The version the person saw; a different current version is a conflict. */
  expectedVersion?: number;
}

export interface ChangeResult {
  case: CaseDoc;
  /** True when the idempotency key had already been applied: nothing was done now. */
  duplicate: boolean;
}

export function checkCaseNumber(number: string): string {
  const n = String(number ?? '')
    .trim()
    .replace(/^#/, '')
    .toUpperCase();
  if (!CASE_NUMBER.test(n)) throw new InvalidInputError('number', `“${String(number).slice(0, 30)}”不是有效的事项编号（如 20261124001）。`);
  return n;
}

export async function loadCase(deps: CaseDeps, number: string): Promise<CaseDoc> {
  const n = checkCaseNumber(number);
  const doc = await deps.models.Case.findOne({ number: n }).lean<CaseDoc>().exec();
  if (!doc) throw new NotFoundError('事项', n);
  return doc;
}

function checkKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200)
    throw new InvalidInputError('idempotencyKey', '幂等键须为 1–200 个字符的字符串。');
  return key;
}

export async function applyChange(
  deps: CaseDeps,
  number: string,
  performer: Performer,
  spec: ChangeSpec,
  opts: ChangeOptions = {},
): Promise<ChangeResult> {
  const key = checkKey(opts.idempotencyKey);
  const doc = await loadCase(deps, number);
  if (key && doc.appliedKeys.includes(key)) return { case: doc, duplicate: true };
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== doc.version) {
    throw new ConflictError(doc.number, opts.expectedVersion, doc.version);
  }

  const current: LifecycleState = { status: doc.status, context: { ...doc.lifecycle } };
  let next = current;
  if (spec.event) {
    const action = spec.action ?? actionFor(spec.event, doc.status);
    authorizeOn(doc, performer, action);
    const decision = decide(current, spec.event);
    if (!decision.ok) throw new DeskError('illegal_transition', decision.error.message, { allowed: decision.error.allowed });
    next = { status: decision.status, context: decision.context };
  } else if (spec.action) {
    authorizeOn(doc, performer, spec.action);
  }

  const now = deps.clock.now();
  const newVersion = doc.version + 1;
  const caseId = String(doc._id);
  const directory = memoDirectory(deps.directory, deps.calendar.localDate);
  const batch = new OutboxBatch(directory, `${caseId}:${newVersion}`, {
    site: doc.site,
    caseId,
    caseNumber: doc.number,
    createdAt: now,
  });
  const parts = await spec.build({ doc, now, next, batch, performer, directory });

  const actor = actorOf(performer);
  const set: Record<string, unknown> = { ...parts.set, status: next.status, lifecycle: next.context };
  const push: Record<string, unknown> = {};
  for (const [path, values] of Object.entries(parts.push ?? {})) push[path] = { $each: values };
  push.timeline = { $each: parts.timeline.map((t) => ({ ...t, at: now, actor })) };
  if (key) push.appliedKeys = { $each: [key], $slice: -KEPT_KEYS };
  if (batch.entries.length) {
    push.outbox = { $each: batch.entries };
    set.outboxAt = doc.outboxAt ?? now;
  }

  const terminal = ['archived', 'withdrawn', 'out_of_scope'].includes(next.status);
  const deadlines = structuredClone(doc.deadlines ?? {});
  for (const k of parts.deadlines?.drop ?? []) {
    if (!deadlines[k]) continue;
    delete deadlines[k];
    set[`deadlines.${k}`] = null;
  }
  for (const [k, d] of Object.entries(parts.deadlines?.open ?? {})) {
    deadlines[k as DeadlineKind] = { at: d.at, provisional: d.provisional };
    set[`deadlines.${k}`] = deadlines[k as DeadlineKind];
  }
  const meet = terminal ? (Object.keys(deadlines) as DeadlineKind[]) : (parts.deadlines?.meet ?? []);
  for (const k of meet) {
    const d = deadlines[k];
    if (d && !d.metAt) {
      d.metAt = now;
      set[`deadlines.${k}.metAt`] = now;
    }
  }
  // The sweeper's next look at this case, computed on the case as this change leaves it, so an
  // early reminder (the day before a unit's reply is due) is not skipped.
  const projected = project(doc, set, parts.push ?? {});
  set.nextDeadlineAt = nextAttentionAt(projected, now, deps.calendar);
  // Messages were written for their audience; the gate makes sure of it against the case as changed.
  batch.gate(projected);
  if (terminal && !doc.closedAt) set.closedAt = now;

  // One round trip writes the change and returns the case as it left it.
  const after = await deps.models.Case.findOneAndUpdate(
    { _id: doc._id, version: doc.version },
    { $set: set, $push: push, $inc: { version: 1 } },
    { returnDocument: 'after' },
  )
    .lean<CaseDoc>()
    .exec();
  if (!after) {
    const fresh = await deps.models.Case.findById(doc._id).lean<CaseDoc>().exec();
    if (fresh && key && fresh.appliedKeys.includes(key)) return { case: fresh, duplicate: true };
    throw new ConflictError(doc.number, doc.version, fresh?.version ?? doc.version + 1);
  }
  if (batch.entries.length) deps.onOutbox?.(caseId);

  await writeAudit(deps, {
    _id: `${caseId}:${newVersion}`,
    at: now,
    actor: { kind: actor.kind, id: actor.id },
    action: spec.event?.type ?? spec.action ?? 'change',
    caseId,
    caseNumber: doc.number,
    site: doc.site,
    detail: { from: doc.status, to: next.status, version: newVersion },
  });
  return { case: after, duplicate: false };
}

/**
 * The audit collection is a queryable copy; the case's own timeline, written atomically with the
 * change, is the record. A failed audit write is logged, never turned into a failed change.
 */
export async function writeAudit(deps: CaseDeps, entry: AuditEntry) {
  try {
    await batchesOf(deps).writeAudit(entry);
  } catch (e) {
    deps.logger.warn({ err: e, audit: entry._id }, 'audit entry not written');
  }
}

/** The case as an update would leave it: dotted `$set` paths and appended arrays applied to a copy. */
export function project(doc: CaseDoc, set: Record<string, unknown>, push: Record<string, unknown[]>): CaseDoc {
  const out = structuredClone(doc) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(set)) {
    const keys = path.split('.');
    let at = out;
    for (const k of keys.slice(0, -1)) {
      at[k] ??= {};
      at = at[k] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]] = value;
  }
  for (const [path, values] of Object.entries(push)) out[path] = [...((out[path] as unknown[]) ?? []), ...values];
  return out as unknown as CaseDoc;
}
