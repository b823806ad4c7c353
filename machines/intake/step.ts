// The pure driving surface for the engine: start, step, persist, restore. The machine's own
// `transition` computes the next snapshot and the machine's context carries the replies and
// effects of that one step.
//
// xstate's free `transition(machine, snapshot, event)` builds a throwaway actor for every call
// (an actor system, a mailbox, and the machine's whole initial snapshot, computed and dropped),
// which was a third of a step and much of its garbage. This machine has no children, no
// invocations and only `assign` actions, so nothing ever reaches the actor scope a transition is
// given: one inert scope, built once, serves every step. `step` stays what the tests check it
// against: `transition` from xstate, on the same snapshot and event, gives the same snapshot.

import { type ActorScope, createActor, type SnapshotFrom } from 'xstate';
import { intakeMachine } from './machine.js';
import { type IntakeEffect, type IntakeEvent, type IntakeInput, type IntakeReply, STEPS } from './types.js';

export type IntakeSnapshot = SnapshotFrom<typeof intakeMachine>;

export interface IntakeStep {
  snapshot: IntakeSnapshot;
  /** Say these to the citizen, in order. */
  replies: IntakeReply[];
  /** Perform these, then feed results back as events (submitted, progressResult, ...). */
  effects: IntakeEffect[];
}

type Scope = ActorScope<IntakeSnapshot, IntakeEvent>;

/** The scope xstate's own `transition` makes per call, made once: a never-started actor and no-op hooks. */
const SCOPE: Scope = (() => {
  const self = createActor(intakeMachine, { input: {} });
  const nothing = () => undefined;
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    defer: nothing,
    emit: nothing,
    logger: nothing,
    stopChild: nothing,
    // Only custom (non-assign) actions would arrive here, and this machine has none; a pure step executes nothing anyway.
    actionExecutor: nothing,
  } as unknown as Scope;
})();

/** A fresh dialogue, before the citizen's first message (which the engine then sends with `step`). */
export function startIntake(input?: IntakeInput): IntakeSnapshot {
  return intakeMachine.getInitialSnapshot(SCOPE, input ?? {});
}

export function step(snapshot: IntakeSnapshot, event: IntakeEvent): IntakeStep {
  const next = intakeMachine.transition(snapshot, event, SCOPE);
  return { snapshot: next, replies: next.context.outbox, effects: next.context.effects };
}

/** JSON-safe form for Redis. */
export function persistIntake(snapshot: IntakeSnapshot): unknown {
  return intakeMachine.getPersistedSnapshot(snapshot);
}

export class IntakeSnapshotError extends Error {
  override readonly name = 'IntakeSnapshotError';
  constructor(
    message: string,
    readonly persisted: unknown,
  ) {
    super(
      `${message}. The stored dialogue cannot be resumed: delete it, start a new one with ` +
        `startIntake() and send { type: 'expired' } so the citizen is told.`,
    );
  }
}

/**
 * Rebuilds a snapshot from `persistIntake` output (after JSON.parse). Rejects anything that is
 * not a live intake dialogue rather than letting a stale shape misbehave later.
 */
export function restoreIntake(persisted: unknown): IntakeSnapshot {
  if (typeof persisted !== 'object' || persisted === null) {
    throw new IntakeSnapshotError('Persisted intake snapshot is not an object', persisted);
  }
  const p = persisted as { status?: unknown; value?: unknown; context?: unknown };
  if (p.status !== 'active') throw new IntakeSnapshotError(`Snapshot status is ${String(p.status)}, not active`, persisted);
  if (typeof p.value !== 'string' || !(STEPS as readonly string[]).includes(p.value)) {
    throw new IntakeSnapshotError(`Unknown intake state ${JSON.stringify(p.value)}`, persisted);
  }
  const ctx = p.context as Record<string, unknown> | undefined;
  if (!ctx || !Array.isArray(ctx.outbox) || !Array.isArray(ctx.effects) || typeof ctx.step !== 'string') {
    throw new IntakeSnapshotError('Snapshot context is missing outbox, effects or step', persisted);
  }
  return intakeMachine.resolveState({
    value: p.value,
    context: ctx as unknown as IntakeSnapshot['context'],
  });
}
