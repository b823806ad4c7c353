// The engine keeps the dialogue in Redis between messages as JSON of the persisted snapshot.

import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  type IntakeDraft,
  IntakeSnapshotError,
  intakeMachine,
  persistIntake,
  restoreIntake,
} from '../../../machines/intake/index.js';
import { TO_SUMMARY, press, run, say } from './helpers.js';

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('persisted snapshots', () => {
  it('survive a JSON round trip mid-dialogue and the dialogue carries on', () => {
    const half = run(TO_SUMMARY.slice(0, 7));
    const restored = restoreIntake(roundTrip(persistIntake(half.snapshot)));
    expect(restored.value).toBe('account');
    const r = run([...TO_SUMMARY.slice(7), press('summary:submit')], restored);
    expect((r.effects[0] as { draft: IntakeDraft }).draft.account).toContain('来回跑了三趟');
  });

  it('restore into a running actor too', () => {
    const half = run(TO_SUMMARY.slice(0, 9));
    const actor = createActor(intakeMachine, { input: {}, snapshot: roundTrip(persistIntake(half.snapshot)) });
    actor.start();
    actor.send(say('张三'));
    expect(actor.getSnapshot().value).toBe('phone');
    actor.stop();
  });

  it('are small and hold no children', () => {
    const persisted = persistIntake(run(TO_SUMMARY).snapshot) as { children: object };
    expect(persisted.children).toEqual({});
    const bytes = Buffer.byteLength(JSON.stringify(persisted));
    // The summary turn carries its own reply descriptor (with the account preview) in the outbox.
    expect(bytes).toBeLessThan(2_000);
  });

  it('refuse a snapshot from an unknown state with a message that says what to do', () => {
    const bad = { ...(roundTrip(persistIntake(run([say('hi')]).snapshot)) as object), value: 'askAge' };
    expect(() => restoreIntake(bad)).toThrow(IntakeSnapshotError);
    expect(() => restoreIntake(bad)).toThrow(/send \{ type: 'expired' \}/);
  });
});
