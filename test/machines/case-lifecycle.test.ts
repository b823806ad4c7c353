import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  CASE_EVENT_TYPES,
  type CaseEvent,
  type CaseEventType,
  caseLifecycle,
  decide,
  EVENT_LABELS_ZH,
  allowedEvents,
  IllegalTransitionError,
  type LifecycleContext,
  type LifecycleState,
  registeredCase,
  STATUS_LABELS_ZH,
} from '../../machines/case-lifecycle.js';
import { CASE_STATUSES, type CaseStatus } from '../../models/vocabulary.js';

/** Applies events in order, failing the test with the machine's own message on a refusal. */
function run(events: CaseEvent[], from: LifecycleState = registeredCase()): { state: LifecycleState; trail: CaseStatus[] } {
  let state = from;
  const trail: CaseStatus[] = [];
  for (const event of events) {
    const d = decide(state, event);
    if (!d.ok) throw d.error;
    state = { status: d.status, context: d.context };
    trail.push(state.status);
  }
  return { state, trail };
}

function refusal(state: LifecycleState, event: CaseEvent): IllegalTransitionError {
  const d = decide(state, event);
  if (d.ok) throw new Error(`expected ${event.type} to be refused in ${state.status}, it went to ${d.status}`);
  return d.error;
}

const ctx = (over: Partial<LifecycleContext> = {}): LifecycleContext => ({
  category: 'GENERAL',
  transferred: false,
  rehandlingRounds: 0,
  agitated: false,
  ...over,
});

const closeOut: CaseEvent[] = [{ type: 'REPLY' }, { type: 'FOLLOW_UP', satisfaction: 'satisfied' }, { type: 'ARCHIVE' }];

describe('case lifecycle: the five situations from registration to archive', () => {
  it('should close a general case handled at once', () => {
    const { state, trail } = run([
      { type: 'CLASSIFY', category: 'GENERAL' },
      { type: 'RECORD', kind: 'on_site' },
      { type: 'RESOLVE', outcome: 'handled', hasBasis: false },
      ...closeOut,
    ]);
    expect(trail).toEqual(['handling', 'handling', 'resolved', 'replied', 'verified', 'archived']);
    expect(state.context).toEqual(ctx({ category: 'GENERAL' }));
  });

  it('should close a general case with a refusal notice only when the basis is written', () => {
    const handling = run([{ type: 'CLASSIFY', category: 'GENERAL' }]).state;
    const err = refusal(handling, { type: 'RESOLVE', outcome: 'refused', hasBasis: false });
    expect(err.message).toContain('政策法规依据');
    const { trail } = run([{ type: 'RESOLVE', outcome: 'refused', hasBasis: true }, ...closeOut], handling);
    expect(trail.at(-1)).toBe('archived');
  });

  it('should close a complex case after a meeting, first feedback and a report to leadership', () => {
    const { trail } = run([
      { type: 'CLASSIFY', category: 'COMPLEX' },
      { type: 'FIRST_FEEDBACK' },
      { type: 'RECORD', kind: 'meeting' },
      { type: 'RECORD', kind: 'leader_informed' },
      { type: 'RESOLVE', outcome: 'measures_adopted', hasBasis: true },
      { type: 'REPLY' },
      { type: 'FOLLOW_UP', satisfaction: 'basically_satisfied' },
      { type: 'ARCHIVE' },
    ]);
    expect(trail).toEqual(['handling', 'handling', 'handling', 'handling', 'resolved', 'replied', 'verified', 'archived']);
  });

  it('should loop an irregular-service complaint through rehandling twice before it is archived', () => {
    const { state, trail } = run([
      { type: 'CLASSIFY', category: 'IRREGULAR_SERVICE' },
      { type: 'RECORD', kind: 'complaint_step' },
      { type: 'RESOLVE', outcome: 'complaint_closed', hasBasis: false },
      { type: 'REPLY' },
      { type: 'FOLLOW_UP', satisfaction: 'dissatisfied' },
      { type: 'RECORD', kind: 'meeting' },
      { type: 'RESOLVE', outcome: 'explained', hasBasis: false },
      { type: 'REPLY' },
      { type: 'FOLLOW_UP', satisfaction: 'dissatisfied' },
      { type: 'RESOLVE', outcome: 'complaint_closed', hasBasis: false },
      ...closeOut,
    ]);
    expect(trail).toEqual([
      'handling',
      'handling',
      'resolved',
      'replied',
      'rehandling',
      'rehandling',
      'resolved',
      'replied',
      'rehandling',
      'resolved',
      'replied',
      'verified',
      'archived',
    ]);
    expect(state.context.rehandlingRounds).toBe(2);
  });

  it('should transfer a not-stationed case and close it only after the unit replied', () => {
    const handling = run([{ type: 'CLASSIFY', category: 'NOT_STATIONED' }]).state;
    expect(refusal(handling, { type: 'RESOLVE', outcome: 'handled', hasBasis: false }).message).toContain('须先转办');
    const { state, trail } = run(
      [
        { type: 'TRANSFER' },
        { type: 'UNIT_ACK' },
        { type: 'FIRST_FEEDBACK' },
        { type: 'UNIT_REPLY' },
        { type: 'RESOLVE', outcome: 'transferred_result', hasBasis: false },
        ...closeOut,
      ],
      handling,
    );
    expect(trail).toEqual(['transferred', 'transferred', 'transferred', 'handling', 'resolved', 'replied', 'verified', 'archived']);
    expect(state.context.transferred).toBe(true);
  });

  it('should let a unit send an authority-unclear case back and a second transfer close it as ineligible with basis', () => {
    const { state, trail } = run([
      { type: 'CLASSIFY', category: 'AUTHORITY_UNCLEAR' },
      { type: 'TRANSFER' },
      { type: 'UNIT_REPLY' },
      { type: 'TRANSFER' },
      { type: 'UNIT_REPLY' },
    ]);
    expect(trail).toEqual(['handling', 'transferred', 'handling', 'transferred', 'handling']);
    expect(refusal(state, { type: 'RESOLVE', outcome: 'ineligible', hasBasis: false }).message).toContain('依据');
    expect(run([{ type: 'RESOLVE', outcome: 'ineligible', hasBasis: true }, ...closeOut], state).state.status).toBe(
      'archived',
    );
  });
});

describe('case lifecycle: side exits', () => {
  const openPoints: Array<[CaseStatus, CaseEvent[]]> = [
    ['registered', []],
    ['handling', [{ type: 'CLASSIFY', category: 'GENERAL' }]],
    ['transferred', [{ type: 'CLASSIFY', category: 'NOT_STATIONED' }, { type: 'TRANSFER' }]],
    ['resolved', [{ type: 'CLASSIFY', category: 'GENERAL' }, { type: 'RESOLVE', outcome: 'handled', hasBasis: false }]],
    [
      'replied',
      [{ type: 'CLASSIFY', category: 'GENERAL' }, { type: 'RESOLVE', outcome: 'handled', hasBasis: false }, { type: 'REPLY' }],
    ],
    [
      'rehandling',
      [
        { type: 'CLASSIFY', category: 'GENERAL' },
        { type: 'RESOLVE', outcome: 'handled', hasBasis: false },
        { type: 'REPLY' },
        { type: 'FOLLOW_UP', satisfaction: 'dissatisfied' },
      ],
    ],
  ];

  it.each(openPoints)('should let the citizen withdraw while %s', (status, events) => {
    const { state } = run(events);
    expect(state.status).toBe(status);
    expect(run([{ type: 'WITHDRAW' }], state).state.status).toBe('withdrawn');
  });

  it('should not withdraw after a satisfied follow-up; only archiving is left', () => {
    const { state } = run([
      { type: 'CLASSIFY', category: 'GENERAL' },
      { type: 'RESOLVE', outcome: 'handled', hasBasis: false },
      { type: 'REPLY' },
      { type: 'FOLLOW_UP', satisfaction: 'satisfied' },
    ]);
    expect(refusal(state, { type: 'WITHDRAW' }).allowed).toEqual(['ARCHIVE', 'RECORD', 'FLAG_AGITATED']);
  });

  it('should mark a case out of scope at registration or while handling, and then accept nothing', () => {
    expect(run([{ type: 'MARK_OUT_OF_SCOPE' }]).state.status).toBe('out_of_scope');
    const { state } = run([{ type: 'CLASSIFY', category: 'COMPLEX' }, { type: 'MARK_OUT_OF_SCOPE' }]);
    expect(state.status).toBe('out_of_scope');
    const err = refusal(state, { type: 'WITHDRAW' });
    expect(err.allowed).toEqual([]);
    expect(err.message).toBe('当前状态为“不属受理范围”，不能执行“撤回”。该事项已结束，不能再执行任何操作。');
  });

  it('should hold classification of an agitated citizen until supervision has calmed them', () => {
    const agitated = run([{ type: 'FLAG_AGITATED' }]).state;
    const err = refusal(agitated, { type: 'CLASSIFY', category: 'GENERAL' });
    expect(err.message).toContain('效能督查科');
    expect(err.allowed).toContain('CALMED');
    expect(err.allowed).not.toContain('CLASSIFY');
    const { state } = run([{ type: 'CALMED' }, { type: 'CLASSIFY', category: 'GENERAL' }], agitated);
    expect(state).toEqual({ status: 'handling', context: ctx({ category: 'GENERAL' }) });
  });

  it('should reclassify while handling but not once a transfer slip went out', () => {
    const { state } = run([{ type: 'CLASSIFY', category: 'GENERAL' }, { type: 'RECLASSIFY', category: 'NOT_STATIONED' }]);
    expect(state.context.category).toBe('NOT_STATIONED');
    const back = run([{ type: 'TRANSFER' }, { type: 'UNIT_REPLY' }], state).state;
    expect(refusal(back, { type: 'RECLASSIFY', category: 'GENERAL' }).message).toContain('已发出转办单');
  });

  it('should refuse to transfer a case of a situation handled at the window', () => {
    const { state } = run([{ type: 'CLASSIFY', category: 'COMPLEX' }]);
    expect(refusal(state, { type: 'TRANSFER' }).message).toContain('只有“未进驻”和“审批主体不明”');
  });
});

describe('case lifecycle: refusing illegal steps', () => {
  it('should refuse archiving before the follow-up, naming the state and what is allowed', () => {
    const { state } = run([
      { type: 'CLASSIFY', category: 'GENERAL' },
      { type: 'RESOLVE', outcome: 'handled', hasBasis: false },
      { type: 'REPLY' },
    ]);
    const err = refusal(state, { type: 'ARCHIVE' });
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err.status).toBe('replied');
    expect(err.event).toBe('ARCHIVE');
    expect(err.message).toBe(
      '当前状态为“已反馈，待回访”，不能执行“备案”。可以执行：回访、记录处办情况、标记情绪激动、撤回。',
    );
  });

  // The specification, written out by hand: what each status accepts for a calm, untransferred
  // case of the given category. Everything else must be refused.
  const expected: Array<[CaseStatus, LifecycleContext, CaseEventType[]]> = [
    [
      'registered',
      ctx({ category: null }),
      ['CLASSIFY', 'FIRST_FEEDBACK', 'RECORD', 'FLAG_AGITATED', 'MARK_OUT_OF_SCOPE', 'WITHDRAW'],
    ],
    [
      'handling',
      ctx(),
      ['RECLASSIFY', 'RESOLVE', 'FIRST_FEEDBACK', 'RECORD', 'FLAG_AGITATED', 'MARK_OUT_OF_SCOPE', 'WITHDRAW'],
    ],
    [
      'handling',
      ctx({ category: 'NOT_STATIONED' }),
      ['RECLASSIFY', 'TRANSFER', 'FIRST_FEEDBACK', 'RECORD', 'FLAG_AGITATED', 'MARK_OUT_OF_SCOPE', 'WITHDRAW'],
    ],
    [
      'handling',
      ctx({ category: 'AUTHORITY_UNCLEAR', transferred: true }),
      ['TRANSFER', 'RESOLVE', 'FIRST_FEEDBACK', 'RECORD', 'FLAG_AGITATED', 'MARK_OUT_OF_SCOPE', 'WITHDRAW'],
    ],
    [
      'transferred',
      ctx({ category: 'NOT_STATIONED', transferred: true }),
      ['UNIT_ACK', 'UNIT_REPLY', 'FIRST_FEEDBACK', 'RECORD', 'FLAG_AGITATED', 'WITHDRAW'],
    ],
    ['resolved', ctx(), ['REPLY', 'RECORD', 'FLAG_AGITATED', 'WITHDRAW']],
    ['replied', ctx(), ['FOLLOW_UP', 'RECORD', 'FLAG_AGITATED', 'WITHDRAW']],
    ['rehandling', ctx({ rehandlingRounds: 1 }), ['RESOLVE', 'RECORD', 'FLAG_AGITATED', 'WITHDRAW']],
    // A transferred case in rehandling: supervision may bring the unit back in with a new slip.
    [
      'rehandling',
      ctx({ category: 'NOT_STATIONED', transferred: true, rehandlingRounds: 1 }),
      ['TRANSFER', 'UNIT_ACK', 'UNIT_REPLY', 'RESOLVE', 'RECORD', 'FLAG_AGITATED', 'WITHDRAW'],
    ],
    ['verified', ctx(), ['ARCHIVE', 'RECORD', 'FLAG_AGITATED']],
    ['archived', ctx(), []],
    ['withdrawn', ctx(), []],
    ['out_of_scope', ctx(), []],
  ];

  it('should cover every status in the specification table', () => {
    expect(new Set(expected.map(([s]) => s))).toEqual(new Set(CASE_STATUSES));
  });

  it.each(expected)('should allow exactly the listed steps in %s (%o)', (status, context, allowed) => {
    expect(allowedEvents(status, context)).toEqual(allowed);
  });

  const representative: Record<CaseEventType, CaseEvent> = {
    CLASSIFY: { type: 'CLASSIFY', category: 'GENERAL' },
    RECLASSIFY: { type: 'RECLASSIFY', category: 'COMPLEX' },
    MARK_OUT_OF_SCOPE: { type: 'MARK_OUT_OF_SCOPE' },
    RECORD: { type: 'RECORD', kind: 'note' },
    FLAG_AGITATED: { type: 'FLAG_AGITATED' },
    CALMED: { type: 'CALMED' },
    TRANSFER: { type: 'TRANSFER' },
    UNIT_ACK: { type: 'UNIT_ACK' },
    UNIT_REPLY: { type: 'UNIT_REPLY' },
    RESOLVE: { type: 'RESOLVE', outcome: 'refused', hasBasis: true },
    FIRST_FEEDBACK: { type: 'FIRST_FEEDBACK' },
    REPLY: { type: 'REPLY' },
    FOLLOW_UP: { type: 'FOLLOW_UP', satisfaction: 'satisfied' },
    ARCHIVE: { type: 'ARCHIVE' },
    WITHDRAW: { type: 'WITHDRAW' },
  };

  const illegal = expected.flatMap(([status, context, allowed]) =>
    CASE_EVENT_TYPES.filter((t) => !allowed.includes(t)).map((t) => [status, t, context, allowed] as const),
  );

  it.each(illegal)('should refuse %s → %s with the state and the allowed steps named', (status, type, context, allowed) => {
    const err = refusal({ status, context }, representative[type]);
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err.status).toBe(status);
    expect(err.allowed).toEqual(allowed);
    expect(err.message).toContain(`当前状态为“${STATUS_LABELS_ZH[status]}”`);
    expect(err.message).toContain(`不能执行“${EVENT_LABELS_ZH[type]}”`);
    for (const a of allowed) expect(err.message).toContain(EVENT_LABELS_ZH[a]);
  });

  it('should leave the caller’s state untouched when it moves the case', () => {
    const before: LifecycleState = { status: 'replied', context: ctx() };
    const copy = structuredClone(before);
    decide(before, { type: 'FOLLOW_UP', satisfaction: 'dissatisfied' });
    expect(before).toEqual(copy);
  });

  it('should reject a status that is not a case status with a repair hint', () => {
    expect(() => decide({ status: 'closed' as CaseStatus, context: ctx() }, { type: 'ARCHIVE' })).toThrow(
      /Unknown case status "closed".*Repair the stored case/,
    );
  });
});

describe('case lifecycle: persistence', () => {
  it('should continue a case from a JSON round trip of its persisted snapshot', () => {
    const actor = createActor(caseLifecycle).start();
    actor.send({ type: 'CLASSIFY', category: 'NOT_STATIONED' });
    actor.send({ type: 'TRANSFER' });
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as {
      value: CaseStatus;
      context: LifecycleContext;
    };
    actor.stop();
    expect(persisted.value).toBe('transferred');

    // The stored case keeps only status + context; the service layer restores from those.
    const d = decide({ status: persisted.value, context: persisted.context }, { type: 'UNIT_REPLY' });
    expect(d).toEqual({ ok: true, status: 'handling', context: ctx({ category: 'NOT_STATIONED', transferred: true }) });

    const resumed = createActor(caseLifecycle, { snapshot: caseLifecycle.resolveState(persisted) }).start();
    resumed.send({ type: 'ARCHIVE' });
    expect(resumed.getSnapshot().value).toBe('transferred');
    resumed.send({ type: 'UNIT_REPLY' });
    expect(resumed.getSnapshot().value).toBe('handling');
    resumed.stop();
  });

  it('should start a new case registered, uncategorised and calm', () => {
    expect(registeredCase()).toEqual({ status: 'registered', context: ctx({ category: null }) });
    const actor = createActor(caseLifecycle);
    expect(actor.getSnapshot().value).toBe('registered');
    expect(actor.getSnapshot().context).toEqual(registeredCase().context);
  });
});
