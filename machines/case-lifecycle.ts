// The case lifecycle (受理 → 分类 → 转办 → 办结 → 反馈 → 核查 → 备案) as a pure XState v5 machine.
// Services never move a case by hand: they call `decide`, which runs the machine's own pure
// transition, and persist the returned status + context. Top-level states are exactly
// CASE_STATUSES, so a stored status restores the snapshot 1:1 (`resolveState`).
//
// Design choices (each one a reading of the source document's 处办 rules):
// - NOT_STATIONED / AUTHORITY_UNCLEAR are classified into `handling` like the others: the clerk
//   still has to take down the request in detail and fill the transfer slip before it goes out.
//   They cannot be resolved until a TRANSFER has gone out and the unit's reply came back.
// - UNIT_REPLY returns the case to `handling`, not to `resolved`: the source calls it the
//   "初办结果" that comes back to the window; the duty officer checks it and closes it with
//   RESOLVE (outcome + basis), or transfers again if the unit sends it back as not theirs.
// - An agitated citizen (情绪激动) goes to 效能督查科 first: while flagged, the case cannot be
//   classified; CALMED (supervision) clears the flag.
// - A satisfied follow-up is the 核查 step (verified); only then may the case be archived.
//   Withdrawal is possible at every open point up to the follow-up; after a satisfied
//   follow-up only archiving is left.

import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
import { CASE_STATUSES, type CaseStatus, type Category, type Satisfaction } from '../models/vocabulary.js';

/** What a handling record (RECORD) documents. None of them changes the status. */
export const HANDLING_RECORD_KINDS = [
  'on_site', // 现场处理情况
  'one_time_notice', // 一次性告知
  'refusal_notice', // 不予受理通知书
  'meeting', // 一事一议
  'complaint_step', // 投诉件办理（效能督查科）
  'leader_informed', // 向局领导汇报
  'note', // 台账备注
] as const;
export type HandlingRecordKind = (typeof HANDLING_RECORD_KINDS)[number];

/** How a case is closed (办结). */
export const RESOLVE_OUTCOMES = [
  'handled', // 已受理（办理）
  'one_time_notice', // 材料不全，已一次性告知
  'refused', // 出具不予受理通知书
  'measures_adopted', // 一事一议：告知承诺、容缺受理、否决事项审签
  'transferred_result', // 承办单位已处办并回复
  'ineligible', // 不符合办理条件（承办单位写明依据）
  'complaint_closed', // 投诉件已按程序核查处办
  'explained', // 已解释说明
] as const;
export type ResolveOutcome = (typeof RESOLVE_OUTCOMES)[number];

/** Outcomes that tell the citizen "no": the source requires the legal/policy basis in writing. */
export const OUTCOMES_REQUIRING_BASIS: readonly ResolveOutcome[] = ['refused', 'ineligible'];

/** The only situations handled by a unit outside the window, through a transfer slip. */
export const TRANSFER_CATEGORIES: readonly Category[] = ['NOT_STATIONED', 'AUTHORITY_UNCLEAR'];

export type CaseEvent =
  | { type: 'CLASSIFY'; category: Category }
  | { type: 'RECLASSIFY'; category: Category }
  | { type: 'MARK_OUT_OF_SCOPE' }
  | { type: 'RECORD'; kind: HandlingRecordKind }
  | { type: 'FLAG_AGITATED' }
  | { type: 'CALMED' }
  | { type: 'TRANSFER' }
  | { type: 'UNIT_ACK' }
  | { type: 'UNIT_REPLY' }
  | { type: 'RESOLVE'; outcome: ResolveOutcome; hasBasis: boolean }
  | { type: 'FIRST_FEEDBACK' }
  | { type: 'REPLY' }
  | { type: 'FOLLOW_UP'; satisfaction: Satisfaction }
  | { type: 'ARCHIVE' }
  | { type: 'WITHDRAW' };
export type CaseEventType = CaseEvent['type'];

/** Canonical order: the main flow first, then what is possible along the way. Used in messages. */
export const CASE_EVENT_TYPES = [
  'CLASSIFY',
  'RECLASSIFY',
  'TRANSFER',
  'UNIT_ACK',
  'UNIT_REPLY',
  'RESOLVE',
  'FIRST_FEEDBACK',
  'REPLY',
  'FOLLOW_UP',
  'ARCHIVE',
  'RECORD',
  'FLAG_AGITATED',
  'CALMED',
  'MARK_OUT_OF_SCOPE',
  'WITHDRAW',
] as const satisfies readonly CaseEventType[];

export interface LifecycleContext {
  category: Category | null;
  /** A transfer slip has gone out at least once. */
  transferred: boolean;
  /** How many times a dissatisfied follow-up sent the case back to 效能督查科. */
  rehandlingRounds: number;
  /** Flagged 情绪激动: supervision calms the citizen before anyone classifies. */
  agitated: boolean;
  /** 向局领导汇报 recorded: a complex case's measures wait for it. Absent on cases stored before. */
  leaderInformed?: boolean;
}

export const STATUS_LABELS_ZH: Readonly<Record<CaseStatus, string>> = {
  registered: '已受理，待分类',
  handling: '处办中',
  transferred: '已转办，待单位回复',
  resolved: '已办结，待反馈',
  replied: '已反馈，待回访',
  rehandling: '回访不满意，效能督查科再处理',
  verified: '已核查（回访满意），待备案',
  archived: '已备案',
  withdrawn: '已撤回',
  out_of_scope: '不属受理范围',
};

export const EVENT_LABELS_ZH: Readonly<Record<CaseEventType, string>> = {
  CLASSIFY: '分类',
  RECLASSIFY: '重新分类',
  MARK_OUT_OF_SCOPE: '认定不属受理范围',
  RECORD: '记录处办情况',
  FLAG_AGITATED: '标记情绪激动',
  CALMED: '确认情绪已平复',
  TRANSFER: '转办',
  UNIT_ACK: '承办单位签收',
  UNIT_REPLY: '承办单位回复',
  RESOLVE: '办结',
  FIRST_FEEDBACK: '反馈（首次反馈）',
  // Labels are the staff command words (回复, not 反馈, which is the command for 首次反馈).
  REPLY: '回复（反馈办理结果）',
  FOLLOW_UP: '回访',
  ARCHIVE: '备案',
  WITHDRAW: '撤回',
};

// Each guard is written once as "why not" (null = passes) so that a refused step can say which
// rule stopped it; the machine's boolean guards are derived from these.
type Why<E extends CaseEventType> = (ctx: LifecycleContext, event: Extract<CaseEvent, { type: E }>) => string | null;

const whyNotClassify: Why<'CLASSIFY'> = (ctx) =>
  ctx.agitated ? '诉求人情绪激动，须先由效能督查科疏导，情绪平复（确认情绪已平复）后再分类。' : null;

const whyNotReclassify: Why<'RECLASSIFY'> = (ctx, event) => {
  if (ctx.agitated) return whyNotClassify(ctx, { type: 'CLASSIFY', category: event.category });
  if (ctx.transferred) return '已发出转办单的事项不能重新分类；如承办单位退回，请重新转办或办结。';
  if (event.category === ctx.category) return '新类别与当前类别相同。';
  return null;
};

const whyNotTransfer: Why<'TRANSFER'> = (ctx) =>
  ctx.category !== null && TRANSFER_CATEGORIES.includes(ctx.category)
    ? null
    : '只有“未进驻”和“审批主体不明”两类事项转办；其他情形由窗口和巡导员直接处办。';

const whyNotTransferBack: Why<'TRANSFER'> = (ctx, event) =>
  ctx.transferred ? whyNotTransfer(ctx, event) : '回访不满意再处理时，只能请原承办单位再次处理；该事项没有转办过。';

const whyNotResolve: Why<'RESOLVE'> = (ctx, event) => {
  if (ctx.category !== null && TRANSFER_CATEGORIES.includes(ctx.category) && !ctx.transferred) {
    return '“未进驻”和“审批主体不明”事项须先转办，收到承办单位回复后才能办结。';
  }
  if (OUTCOMES_REQUIRING_BASIS.includes(event.outcome) && !event.hasBasis) {
    return '不予受理或不符合办理条件的，须写明政策法规依据后才能办结。';
  }
  if (event.outcome === 'transferred_result' && !ctx.transferred) {
    return '“承办单位已处办”只适用于已转办并收到回复的事项。';
  }
  if (event.outcome === 'complaint_closed' && ctx.category !== 'IRREGULAR_SERVICE') {
    return '“投诉件已处办”只适用于服务不规范情形。';
  }
  if (event.outcome === 'measures_adopted' && ctx.category !== 'COMPLEX') {
    return '告知承诺、容缺受理、否决事项审签只适用于较复杂情形（一事一议）。';
  }
  // 最大限度帮助企业群众解决难题，并向局领导汇报: the report comes before the case is closed on them.
  if (event.outcome === 'measures_adopted' && !ctx.leaderInformed) {
    return '较复杂情形经一事一议采取措施的，须先向局领导汇报（报告领导）后才能办结。';
  }
  return null;
};

const whyNotCalmed: Why<'CALMED'> = (ctx) => (ctx.agitated ? null : '该事项没有被标记为情绪激动。');

const isSatisfied = (s: Satisfaction) => s === 'satisfied' || s === 'basically_satisfied';

/** Reasons a guarded event type can be refused even though the current state accepts it. */
export function whyNot(ctx: LifecycleContext, event: CaseEvent): string | null {
  switch (event.type) {
    case 'CLASSIFY':
      return whyNotClassify(ctx, event);
    case 'RECLASSIFY':
      return whyNotReclassify(ctx, event);
    case 'TRANSFER':
      return whyNotTransfer(ctx, event);
    case 'RESOLVE':
      return whyNotResolve(ctx, event);
    case 'CALMED':
      return whyNotCalmed(ctx, event);
    default:
      return null;
  }
}

// Events that never change the status. A self-target (not an action-less transition, which
// `snapshot.can` counts as forbidden) keeps `can` truthful for them.
const stayIn = <S extends CaseStatus>(status: S) => ({ target: status }) as const;
const flagEvents = <S extends CaseStatus>(status: S) =>
  ({
    RECORD: { target: status, actions: 'noteRecord' },
    FLAG_AGITATED: { target: status, actions: 'flagAgitated' },
    CALMED: { target: status, guard: 'canCalm', actions: 'clearAgitated' },
  }) as const;
const withdrawable = { WITHDRAW: { target: 'withdrawn' } } as const;

export const caseLifecycle = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as CaseEvent,
  },
  guards: {
    canClassify: ({ context, event }) => event.type === 'CLASSIFY' && whyNotClassify(context, event) === null,
    canReclassify: ({ context, event }) => event.type === 'RECLASSIFY' && whyNotReclassify(context, event) === null,
    canTransfer: ({ context, event }) => event.type === 'TRANSFER' && whyNotTransfer(context, event) === null,
    wasTransferred: ({ context }) => context.transferred,
    canTransferBack: ({ context, event }) => event.type === 'TRANSFER' && whyNotTransferBack(context, event) === null,
    canResolve: ({ context, event }) => event.type === 'RESOLVE' && whyNotResolve(context, event) === null,
    canCalm: ({ context, event }) => event.type === 'CALMED' && whyNotCalmed(context, event) === null,
    isSatisfied: ({ event }) => event.type === 'FOLLOW_UP' && isSatisfied(event.satisfaction),
    isDissatisfied: ({ event }) => event.type === 'FOLLOW_UP' && event.satisfaction === 'dissatisfied',
  },
  // `assign` only: `transition` returns custom actions for the caller to run instead of running
  // them, so context changes must be assignments for a pure step to carry them.
  actions: {
    setCategory: assign({
      category: ({ context, event }) =>
        event.type === 'CLASSIFY' || event.type === 'RECLASSIFY' ? event.category : context.category,
    }),
    markTransferred: assign({ transferred: true }),
    countRehandling: assign({ rehandlingRounds: ({ context }) => context.rehandlingRounds + 1 }),
    flagAgitated: assign({ agitated: true }),
    clearAgitated: assign({ agitated: false }),
    // Only the leadership report changes the context; other records leave it exactly as it was.
    noteRecord: assign(({ event }) => (event.type === 'RECORD' && event.kind === 'leader_informed' ? { leaderInformed: true } : {})),
  },
}).createMachine({
  id: 'caseLifecycle',
  initial: 'registered',
  context: { category: null, transferred: false, rehandlingRounds: 0, agitated: false },
  states: {
    registered: {
      on: {
        CLASSIFY: { target: 'handling', guard: 'canClassify', actions: 'setCategory' },
        MARK_OUT_OF_SCOPE: { target: 'out_of_scope' },
        FIRST_FEEDBACK: stayIn('registered'),
        ...flagEvents('registered'),
        ...withdrawable,
      },
    },
    handling: {
      on: {
        RECLASSIFY: { target: 'handling', guard: 'canReclassify', actions: 'setCategory' },
        TRANSFER: { target: 'transferred', guard: 'canTransfer', actions: 'markTransferred' },
        RESOLVE: { target: 'resolved', guard: 'canResolve' },
        MARK_OUT_OF_SCOPE: { target: 'out_of_scope' },
        FIRST_FEEDBACK: stayIn('handling'),
        ...flagEvents('handling'),
        ...withdrawable,
      },
    },
    transferred: {
      on: {
        UNIT_ACK: stayIn('transferred'),
        UNIT_REPLY: { target: 'handling' },
        FIRST_FEEDBACK: stayIn('transferred'),
        ...flagEvents('transferred'),
        ...withdrawable,
      },
    },
    resolved: {
      on: {
        REPLY: { target: 'replied' },
        ...flagEvents('resolved'),
        ...withdrawable,
      },
    },
    replied: {
      on: {
        FOLLOW_UP: [
          { target: 'verified', guard: 'isSatisfied' },
          { target: 'rehandling', guard: 'isDissatisfied', actions: 'countRehandling' },
        ],
        ...flagEvents('replied'),
        ...withdrawable,
      },
    },
    rehandling: {
      on: {
        RESOLVE: { target: 'resolved', guard: 'canResolve' },
        // The unit that handled it is brought back in (a new slip); the case stays with supervision
        // and its 2-working-day clock.
        TRANSFER: { target: 'rehandling', guard: 'canTransferBack' },
        UNIT_ACK: { target: 'rehandling', guard: 'wasTransferred' },
        UNIT_REPLY: { target: 'rehandling', guard: 'wasTransferred' },
        ...flagEvents('rehandling'),
        ...withdrawable,
      },
    },
    verified: {
      on: {
        ARCHIVE: { target: 'archived' },
        ...flagEvents('verified'),
      },
    },
    archived: { type: 'final' },
    withdrawn: { type: 'final' },
    out_of_scope: { type: 'final' },
  },
});

export type LifecycleSnapshot = SnapshotFrom<typeof caseLifecycle>;

export interface LifecycleState {
  status: CaseStatus;
  context: LifecycleContext;
}

/** A step the lifecycle does not allow from where the case is; the message is for staff. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly status: CaseStatus,
    readonly event: CaseEventType,
    readonly allowed: readonly CaseEventType[],
    /** The rule that refused an event the state does accept, when that was the cause. */
    readonly reason: string | null = null,
  ) {
    const head = `当前状态为“${STATUS_LABELS_ZH[status]}”，不能执行“${EVENT_LABELS_ZH[event]}”`;
    const why = reason ? `：${reason}` : '。';
    const next =
      allowed.length === 0
        ? '该事项已结束，不能再执行任何操作。'
        : `可以执行：${allowed.map((e) => EVENT_LABELS_ZH[e]).join('、')}。`;
    super(head + why + next);
  }
}

/** The lifecycle's first state, for a newly registered case. */
export function registeredCase(): LifecycleState {
  const [snapshot] = initialTransition(caseLifecycle);
  return toState(snapshot);
}

/** Rebuilds the machine snapshot of a persisted case. */
export function restore(state: LifecycleState): LifecycleSnapshot {
  if (!(CASE_STATUSES as readonly string[]).includes(state.status)) {
    throw new RangeError(
      `Unknown case status "${String(state.status)}"; a persisted status must be one of ${CASE_STATUSES.join(', ')}. ` +
        'Repair the stored case before acting on it.',
    );
  }
  // Copy so that the machine's assign-style actions never write into the caller's object.
  return caseLifecycle.resolveState({ value: state.status, context: { ...state.context } });
}

function toState(snapshot: LifecycleSnapshot): LifecycleState {
  return { status: snapshot.value as CaseStatus, context: { ...snapshot.context } };
}

// Every event the machine can tell apart: guards read only enum and boolean payload fields,
// so enumerating them is exhaustive and "allowed" means "some event of this type passes".
const EVERY_EVENT: readonly CaseEvent[] = buildEveryEvent();

function buildEveryEvent(): CaseEvent[] {
  const categories = ['GENERAL', 'COMPLEX', 'IRREGULAR_SERVICE', 'NOT_STATIONED', 'AUTHORITY_UNCLEAR'] as const;
  const satisfactions = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
  return [
    ...categories.map((category) => ({ type: 'CLASSIFY', category }) as const),
    ...categories.map((category) => ({ type: 'RECLASSIFY', category }) as const),
    ...HANDLING_RECORD_KINDS.map((kind) => ({ type: 'RECORD', kind }) as const),
    ...RESOLVE_OUTCOMES.flatMap((outcome) =>
      [true, false].map((hasBasis) => ({ type: 'RESOLVE', outcome, hasBasis }) as const),
    ),
    ...satisfactions.map((satisfaction) => ({ type: 'FOLLOW_UP', satisfaction }) as const),
    ...(['MARK_OUT_OF_SCOPE', 'FLAG_AGITATED', 'CALMED', 'TRANSFER', 'UNIT_ACK', 'UNIT_REPLY'] as const).map(
      (type) => ({ type }) as const,
    ),
    ...(['FIRST_FEEDBACK', 'REPLY', 'ARCHIVE', 'WITHDRAW'] as const).map((type) => ({ type }) as const),
  ];
}

/** Event types that some event of that type would be accepted for, in CASE_EVENT_TYPES order. */
export function allowedEvents(status: CaseStatus, ctx: LifecycleContext): CaseEventType[] {
  const snapshot = restore({ status, context: ctx });
  const possible = new Set(EVERY_EVENT.filter((e) => snapshot.can(e)).map((e) => e.type));
  return CASE_EVENT_TYPES.filter((t) => possible.has(t));
}

export type Decision = { ok: true; status: CaseStatus; context: LifecycleContext } | { ok: false; error: IllegalTransitionError };

/**
 * The one place a case moves: restores the persisted state, asks the machine whether the event
 * is possible, and runs xstate's pure `transition`. Never throws for an illegal step.
 */
export function decide(state: LifecycleState, event: CaseEvent): Decision {
  const snapshot = restore(state);
  if (!snapshot.can(event)) {
    const acceptsType = caseLifecycle.states[state.status].ownEvents.includes(event.type);
    const reason = acceptsType ? whyNot(state.context, event) : null;
    return {
      ok: false,
      error: new IllegalTransitionError(state.status, event.type, allowedEvents(state.status, state.context), reason),
    };
  }
  const [next] = transition(caseLifecycle, snapshot, event);
  return { ok: true, ...toState(next) };
}
