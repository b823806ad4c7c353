// The citizen intake dialogue of the 办不成事 window (DESIGN.md §2), as a pure XState v5 machine.
// It never talks to a channel or a store: each transition leaves the replies for the citizen in
// `context.outbox` and the requests for the engine in `context.effects`, both cleared by
// `beginTurn` at the start of the next transition. Flat states, no children: a persisted
// snapshot is just the state name and the answers so far.

import { setup } from 'xstate';
import { intakeActions } from './actions.js';
import { intakeGuards } from './guards.js';
import type { PickCondition } from './guards.js';
import { type ChoiceId, MENUS, type MenuId } from './menus.js';
import type { IntakeContext, IntakeEvent, IntakeInput, Step } from './types.js';

const picked = (menu: MenuId, id: ChoiceId, wordsOnly = false, when?: PickCondition) =>
  ({ type: 'picked', params: when ? { menu, id, wordsOnly, when } : { menu, id, wordsOnly } }) as const;
const ask = (step: Step, quiet = false) => ({ type: 'ask', params: { step, quiet } }) as const;

/** Commands work everywhere, sent as commands or typed as the whole message. */
const COMMANDS = [
  { guard: { type: 'isCommand', params: { names: ['help'] } }, actions: ['beginTurn', 'sayHelp', 'reprompt'] as const },
  {
    guard: { type: 'isCommand', params: { names: ['cancel'] } },
    target: '#intake.menu',
    reenter: true,
    actions: ['beginTurn', 'cancelDraft'] as const,
  },
  {
    guard: { type: 'isCommand', params: { names: ['restart', 'start'] } },
    target: '#intake.menu',
    reenter: true,
    actions: ['beginTurn', 'restartDraft'] as const,
  },
  { guard: { type: 'isCommand', params: { names: ['progress'] } }, target: '#intake.progressAsk', reenter: true, actions: ['beginTurn'] as const },
  {
    guard: { type: 'isCommand', params: { names: ['withdraw'] } },
    target: '#intake.withdrawLookup',
    reenter: true,
    actions: ['beginTurn', 'requestOpenCases'] as const,
  },
  { guard: 'textTooLong', actions: ['beginTurn', 'sayTooLong', 'reprompt'] as const },
] as const;

const STALE_CHOICE = { actions: ['beginTurn', 'sayStaleChoice', 'reprompt'] as const } as const;
const NOT_UNDERSTOOD = { actions: ['beginTurn', 'sayNotUnderstood', 'reprompt'] as const } as const;
const REPROMPT = { actions: ['beginTurn', 'reprompt'] as const } as const;

/** A question answered from a menu: a press or a typed answer picks; commands work; anything else is re-asked. */
function menuAnswers<T>(picks: readonly T[]) {
  return { choice: [...picks, STALE_CHOICE], text: [...COMMANDS, ...picks, NOT_UNDERSTOOD] };
}

export const intakeMachine = setup({
  types: {
    context: {} as IntakeContext,
    events: {} as IntakeEvent,
    input: {} as IntakeInput,
  },
  actions: intakeActions,
  guards: intakeGuards,
}).createMachine({
  id: 'intake',
  initial: 'welcome',
  context: ({ input }) => ({
    locale: input?.locale ?? 'zh',
    step: 'welcome',
    draft: null,
    editing: false,
    pendingScope: null,
    scopeCleared: false,
    agitated: false,
    caseNumber: null,
    followUp: null,
    withdrawable: null,
    outbox: [],
    effects: [],
  }),
  on: {
    command: [...COMMANDS],
    text: [...COMMANDS, NOT_UNDERSTOOD],
    choice: STALE_CHOICE,
    attachment: [
      { guard: 'hasDraft', actions: ['beginTurn', 'keepAttachment', 'reprompt'] as const },
      { actions: ['beginTurn', 'sayAttachmentNeedsReport', 'reprompt'] as const },
    ],
    unsupported: { actions: ['beginTurn', 'sayUnsupported', 'reprompt'] as const },
    expired: { target: '.menu', reenter: true, actions: ['beginTurn', 'sayExpired'] as const },
    followUpAsked: { target: '.followUpRate', reenter: true, actions: ['beginTurn', 'startFollowUp'] as const },
    progressResult: { actions: ['beginTurn', 'sayProgress', 'reprompt'] as const },
    // A registration the engine completed after the citizen moved on still gets its number told.
    submitted: { target: '.filed', reenter: true, actions: ['beginTurn', 'fileCase'] as const },
    submitFailed: { actions: ['beginTurn'] as const },
    // Results that arrive after the citizen moved on are still told; a stale case list is not.
    withdrawn: { actions: ['beginTurn', 'finishWithdraw', 'reprompt'] as const },
    withdrawFailed: { actions: ['beginTurn', 'sayWithdrawFailed', 'reprompt'] as const },
    openCases: { actions: ['beginTurn'] as const },
    caseClosed: { actions: ['beginTurn', 'forgetClosedCase'] as const },
    // Uncertain: ask the citizen to pick; certain or nothing likely: keep it and carry on.
    unitMatched: [
      { guard: 'unitMatchUncertain', target: '.unitPick', reenter: true, actions: ['beginTurn', 'offerUnits'] as const },
      { guard: 'unitMatchCurrent', actions: ['beginTurn', 'takeUnitMatch'] as const },
      { actions: ['beginTurn'] as const },
    ],
    '*': NOT_UNDERSTOOD,
  },
  states: {
    /** Before the first message: whatever arrives, greet and show the menu (or go where asked). */
    welcome: {
      on: {
        // A first message that is a command (a deep link: /start <number>, /status) does what it says.
        command: [...COMMANDS],
        text: [
          ...COMMANDS,
          { guard: picked('start', 'start:report'), target: 'privacy', actions: ['beginTurn'] as const },
          { guard: picked('start', 'start:progress'), target: 'progressAsk', actions: ['beginTurn'] as const },
          { target: 'menu', actions: ['beginTurn'] as const },
        ],
        expired: { target: 'menu', actions: ['beginTurn', 'sayExpired'] as const },
        followUpAsked: { target: 'followUpRate', actions: ['beginTurn', 'startFollowUp'] as const },
        submitted: { target: 'filed', actions: ['beginTurn', 'fileCase'] as const },
        '*': { target: 'menu', actions: ['beginTurn'] as const },
      },
    },
    menu: {
      entry: ask('menu'),
      on: {
        choice: [
          { guard: picked('start', 'start:report'), target: 'privacy', actions: ['beginTurn'] as const },
          { guard: picked('start', 'start:progress'), target: 'progressAsk', actions: ['beginTurn'] as const },
          { guard: picked('start', 'start:help'), actions: ['beginTurn', 'sayHelp', 'reprompt'] as const },
          ...resume(),
          {
            guard: picked('start', 'start:supplement'),
            target: 'filed',
            actions: ['beginTurn', 'saySupplementAsk'] as const,
          },
          { guard: picked('start', 'start:withdraw'), target: 'withdrawConfirm', actions: ['beginTurn'] as const },
          STALE_CHOICE,
        ],
        text: [
          // Before the commands: with a case on offer, a typed "撤回" means that one, no lookup needed.
          { guard: picked('start', 'start:withdraw'), target: 'withdrawConfirm', actions: ['beginTurn'] as const },
          ...COMMANDS,
          { guard: picked('start', 'start:report'), target: 'privacy', actions: ['beginTurn'] as const },
          { guard: picked('start', 'start:progress'), target: 'progressAsk', actions: ['beginTurn'] as const },
          { guard: picked('start', 'start:help'), actions: ['beginTurn', 'sayHelp', 'reprompt'] as const },
          ...resume(),
          {
            guard: picked('start', 'start:supplement'),
            target: 'filed',
            actions: ['beginTurn', 'saySupplementAsk'] as const,
          },
          NOT_UNDERSTOOD,
        ],
      },
    },
    privacy: {
      entry: ask('privacy'),
      on: menuAnswers(privacyPicks()),
    },
    scope: {
      entry: ask('scope'),
      on: menuAnswers(scopePicks()),
    },
    matter: {
      entry: ask('matter'),
      on: {
        text: [
          ...COMMANDS,
          { guard: 'blankText', actions: ['beginTurn', 'reprompt'] as const },
          { guard: 'longerThanMatter', actions: ['beginTurn', 'sayMatterTooLong'] as const },
          { guard: 'scopeHint', target: 'matterScope', actions: ['beginTurn', 'storeMatter', 'notePendingScope'] as const },
          { guard: 'editing', target: 'summary', actions: ['beginTurn', 'storeMatter', 'endEdit'] as const },
          { target: 'problem', actions: ['beginTurn', 'storeMatter'] as const },
        ],
      },
    },
    matterScope: {
      entry: ask('matterScope'),
      on: menuAnswers(scopeCheckPicks('problem')),
    },
    problem: {
      entry: ask('problem'),
      on: menuAnswers(problemPicks()),
    },
    account: {
      entry: ask('account'),
      on: {
        choice: [...accountDone(), STALE_CHOICE],
        text: [
          ...COMMANDS,
          ...accountDone(),
          { guard: 'blankText', actions: ['beginTurn', 'reprompt'] as const },
          { guard: 'accountWouldOverflow', actions: ['beginTurn', 'sayAccountFull'] as const },
          { guard: 'scopeHint', target: 'accountScope', actions: ['beginTurn', 'appendAccount', 'notePendingScope'] as const },
          { actions: ['beginTurn', 'appendAccount', 'reprompt'] as const },
        ],
        attachment: [
          { guard: 'hasDraft', actions: ['beginTurn', 'keepAttachment', 'sayAccountNext'] as const },
          { actions: ['beginTurn', 'sayAttachmentNeedsReport', 'reprompt'] as const },
        ],
      },
    },
    accountScope: {
      entry: ask('accountScope'),
      on: menuAnswers(scopeCheckPicks('account')),
    },
    unit: {
      entry: ask('unit'),
      on: {
        choice: [...unitUnknown(), STALE_CHOICE],
        text: [
          ...COMMANDS,
          ...unitUnknown(),
          { guard: 'blankText', actions: ['beginTurn', 'reprompt'] as const },
          { guard: 'longerThanMatter', actions: ['beginTurn', 'sayUnitTooLong'] as const },
          { guard: 'editing', target: 'summary', actions: ['beginTurn', 'storeUnit', 'endEdit'] as const },
          { target: 'name', actions: ['beginTurn', 'storeUnit'] as const },
        ],
      },
    },
    /** The unit the citizen named could be one of several: they pick, or say none of these. */
    unitPick: {
      entry: ask('unitPick'),
      on: {
        choice: [...unitPicks(), STALE_CHOICE],
        text: [...COMMANDS, ...unitPicks(), NOT_UNDERSTOOD],
      },
    },
    name: {
      entry: ask('name'),
      on: {
        text: [
          ...COMMANDS,
          { guard: 'validNameWhileEditing', target: 'summary', actions: ['beginTurn', 'storeName', 'endEdit'] as const },
          { guard: 'validName', target: 'phone', actions: ['beginTurn', 'storeName'] as const },
          { actions: ['beginTurn', 'sayNameInvalid'] as const },
        ],
      },
    },
    phone: {
      entry: ask('phone'),
      on: {
        text: [
          ...COMMANDS,
          { guard: 'validPhone', target: 'summary', actions: ['beginTurn', 'storePhone', 'endEdit'] as const },
          { actions: ['beginTurn', 'sayPhoneInvalid'] as const },
        ],
      },
    },
    summary: {
      entry: ask('summary'),
      on: menuAnswers(summaryPicks()),
    },
    editPick: {
      entry: ask('editPick'),
      on: menuAnswers(editPicks()),
    },
    /** Waiting for the engine to register the case; a registration in flight cannot be called back. */
    submitting: {
      entry: ask('submitting'),
      on: {
        submitted: { target: 'filed', actions: ['beginTurn', 'fileCase'] as const },
        submitFailed: { target: 'submitFailed', actions: ['beginTurn'] as const },
        command: REPROMPT,
        text: REPROMPT,
        choice: REPROMPT,
        attachment: REPROMPT,
      },
    },
    submitFailed: {
      entry: ask('submitFailed'),
      on: menuAnswers(retryPicks()),
    },
    /** After registration: whatever the citizen sends is added to the case. */
    filed: {
      entry: ask('filed', true),
      on: {
        text: [
          ...COMMANDS,
          { guard: 'blankText', actions: ['beginTurn', 'reprompt'] as const },
          { actions: ['beginTurn', 'supplementText'] as const },
        ],
        attachment: { actions: ['beginTurn', 'supplementAttachment'] as const },
        // Withdrawn, the case takes no more supplements: leave the "everything is added" state.
        withdrawn: { target: 'menu', actions: ['beginTurn', 'finishWithdraw'] as const },
        // Ended at the window meanwhile: say so once, instead of "added" to a case that takes nothing.
        caseClosed: { target: 'menu', actions: ['beginTurn', 'forgetClosedCase', 'sayCaseClosed'] as const },
      },
    },
    progressAsk: {
      entry: ask('progressAsk'),
      on: {
        choice: [...progressPicks(), STALE_CHOICE],
        text: [
          ...COMMANDS,
          ...progressPicks(),
          { guard: 'caseNumberGiven', target: 'progressWait', actions: ['beginTurn', { type: 'queryProgress', params: { which: 'typed' } }] as const },
          { actions: ['beginTurn', 'sayBadCaseNumber'] as const },
        ],
      },
    },
    progressWait: {
      entry: ask('progressWait'),
      on: {
        progressResult: { target: 'menu', actions: ['beginTurn', 'sayProgress'] as const },
        text: [...COMMANDS, REPROMPT],
        choice: REPROMPT,
      },
    },
    /** Waiting for the chat's open cases: a typed "撤回" must know which case it means. */
    withdrawLookup: {
      entry: ask('withdrawLookup'),
      on: {
        openCases: [
          { guard: 'oneOpenCase', target: 'withdrawConfirm', actions: ['beginTurn', 'takeOpenCase'] as const },
          { guard: 'noOpenCase', target: 'menu', actions: ['beginTurn', 'sayNoOpenCase'] as const },
          // Several: the progress lookup of one number shows it and offers to withdraw that one.
          { target: 'progressAsk', actions: ['beginTurn', 'saySeveralOpen'] as const },
        ],
        text: [...COMMANDS, REPROMPT],
        choice: REPROMPT,
      },
    },
    withdrawConfirm: {
      entry: ask('withdrawConfirm'),
      on: {
        choice: [...withdrawPicks(), STALE_CHOICE],
        // The answers first: here "取消" and "撤回" answer the question rather than being commands.
        text: [...withdrawPicks(), ...COMMANDS, NOT_UNDERSTOOD],
      },
    },
    withdrawing: {
      entry: ask('withdrawing'),
      on: {
        withdrawn: { target: 'menu', actions: ['beginTurn', 'finishWithdraw'] as const },
        withdrawFailed: { target: 'menu', actions: ['beginTurn', 'sayWithdrawFailed'] as const },
        text: [...COMMANDS, REPROMPT],
        choice: REPROMPT,
      },
    },
    followUpRate: {
      entry: ask('followUpRate'),
      on: menuAnswers(ratePicks()),
    },
    followUpComment: {
      entry: ask('followUpComment'),
      on: {
        choice: [{ guard: picked('comment', 'comment:none'), target: 'menu', actions: ['beginTurn', { type: 'recordFollowUp', params: { withComment: false } }] as const }, STALE_CHOICE],
        text: [
          ...COMMANDS,
          {
            guard: picked('comment', 'comment:none', true),
            target: 'menu',
            actions: ['beginTurn', { type: 'recordFollowUp', params: { withComment: false } }] as const,
          },
          { guard: 'blankText', actions: ['beginTurn', 'reprompt'] as const },
          { target: 'menu', actions: ['beginTurn', { type: 'recordFollowUp', params: { withComment: true } }] as const },
        ],
      },
    },
  },
});

function resume() {
  const steps = ['scope', 'matter', 'problem', 'account', 'unit', 'name', 'phone', 'summary'] as const;
  return steps.map((step) => ({
    guard: picked('start', 'start:resume', false, `resumesAt:${step}`),
    target: step,
    actions: ['beginTurn'] as const,
  }));
}

function privacyPicks() {
  return [
    { guard: picked('privacy', 'privacy:agree'), target: 'scope', actions: ['beginTurn', 'openDraft'] as const },
    {
      guard: picked('privacy', 'privacy:decline'),
      target: 'menu',
      actions: ['beginTurn', { type: 'say', params: { key: 'privacy.declined' } }] as const,
    },
  ] as const;
}

function scopePicks() {
  return [
    { guard: picked('scope', 'scope:none'), target: 'matter', actions: ['beginTurn', { type: 'scopeAnswered', params: { unsure: false } }] as const },
    { guard: picked('scope', 'scope:unsure'), target: 'matter', actions: ['beginTurn', { type: 'scopeAnswered', params: { unsure: true } }] as const },
    ...(
      [
        ['scope:litigation', 'litigation'],
        ['scope:legal', 'legal'],
        ['scope:petition', 'petition'],
        ['scope:policy', 'contrary_to_policy'],
      ] as const
    ).map(([id, reason]) => ({
      guard: picked('scope', id),
      target: 'menu',
      actions: ['beginTurn', { type: 'refuseOutOfScope', params: { reason } }] as const,
    })),
  ];
}

/** After a keyword check: "yes, it is" ends the report; "no" goes on where the citizen was. */
function scopeCheckPicks(next: 'problem' | 'account') {
  return [
    {
      guard: picked('scopeCheck', 'scopeCheck:yes'),
      target: 'menu',
      actions: ['beginTurn', { type: 'refuseOutOfScope', params: { reason: 'pending' } }] as const,
    },
    {
      guard: picked('scopeCheck', 'scopeCheck:no', false, 'editing'),
      target: 'summary',
      actions: ['beginTurn', 'clearPendingScope', 'endEdit'] as const,
    },
    { guard: picked('scopeCheck', 'scopeCheck:no'), target: next, actions: ['beginTurn', 'clearPendingScope'] as const },
  ];
}

function problemPicks() {
  return MENUS.problem.flatMap((id) => [
    { guard: picked('problem', id, false, 'editing'), target: 'summary', actions: ['beginTurn', 'storeProblem', 'endEdit'] as const },
    { guard: picked('problem', id), target: 'account', actions: ['beginTurn', 'storeProblem'] as const },
  ]);
}

function accountDone() {
  return [
    { guard: picked('account', 'account:done', true, 'accountTooShort'), actions: ['beginTurn', 'sayAccountTooShort'] as const },
    { guard: picked('account', 'account:done', true, 'editing'), target: 'summary', actions: ['beginTurn', 'endEdit'] as const },
    { guard: picked('account', 'account:done', true), target: 'unit', actions: ['beginTurn'] as const },
  ];
}

function unitUnknown() {
  return [
    { guard: picked('unit', 'unit:unknown', true, 'editing'), target: 'summary', actions: ['beginTurn', 'storeUnitUnknown', 'endEdit'] as const },
    { guard: picked('unit', 'unit:unknown', true), target: 'name', actions: ['beginTurn', 'storeUnitUnknown'] as const },
  ];
}

/** After the pick the dialogue goes on where it would have: the first question not yet answered. */
function unitPicks() {
  return [false, true].flatMap((none) =>
    (['name', 'phone', 'summary'] as const).map((to) => ({
      guard: { type: 'unitPickTo', params: { none, to } } as const,
      target: to,
      actions: ['beginTurn', 'takeUnitPick', 'endEdit'] as const,
    })),
  );
}

function summaryPicks() {
  return [
    { guard: picked('summary', 'summary:submit'), target: 'submitting', actions: ['beginTurn', 'requestSubmit'] as const },
    { guard: picked('summary', 'summary:edit'), target: 'editPick', actions: ['beginTurn'] as const },
    { guard: picked('summary', 'summary:cancel'), target: 'menu', actions: ['beginTurn', 'cancelDraft'] as const },
  ];
}

function editPicks() {
  return [
    ...(
      [
        ['edit:matter', 'matter'],
        ['edit:problem', 'problem'],
        ['edit:unit', 'unit'],
        ['edit:name', 'name'],
        ['edit:phone', 'phone'],
      ] as const
    ).map(([id, target]) => ({ guard: picked('edit', id), target, actions: ['beginTurn', 'startEdit'] as const })),
    // A new account replaces the old one: starting from empty avoids a muddle of both versions.
    { guard: picked('edit', 'edit:account'), target: 'account', actions: ['beginTurn', 'startEdit', 'clearAccount'] as const },
    { guard: picked('edit', 'edit:back'), target: 'summary', actions: ['beginTurn'] as const },
  ];
}

function retryPicks() {
  return [
    { guard: picked('submitFailed', 'submitFailed:retry'), target: 'submitting', actions: ['beginTurn', 'requestSubmit'] as const },
    { guard: picked('submitFailed', 'submitFailed:cancel'), target: 'menu', actions: ['beginTurn', 'cancelDraft'] as const },
  ];
}

function progressPicks() {
  return [
    {
      guard: picked('progress', 'progress:last', true),
      target: 'progressWait',
      actions: ['beginTurn', { type: 'queryProgress', params: { which: 'last' } }] as const,
    },
    {
      guard: picked('progress', 'progress:mine', true),
      target: 'progressWait',
      actions: ['beginTurn', { type: 'queryProgress', params: { which: 'mine' } }] as const,
    },
  ];
}

function withdrawPicks() {
  return [
    { guard: picked('withdraw', 'withdraw:confirm'), target: 'withdrawing', actions: ['beginTurn', 'requestWithdraw'] as const },
    { guard: picked('withdraw', 'withdraw:keep'), target: 'menu', actions: ['beginTurn', 'sayKept'] as const },
  ];
}

function ratePicks() {
  return (['satisfied', 'basically_satisfied', 'dissatisfied'] as const).map((satisfaction) => ({
    guard: picked('rate', `rate:${satisfaction}`),
    target: 'followUpComment',
    actions: ['beginTurn', { type: 'rate', params: { satisfaction } }] as const,
  }));
}
