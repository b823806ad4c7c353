import { describe, expect, it } from 'vitest';
import { type IntakeDraft, type IntakeEvent, intakeMachine, startIntake } from '../../../machines/intake/index.js';
import { renderIntakeReply } from '../../../services/locales/render-intake.js';
import { TIMELINE, TO_SUMMARY, command, press, run, say } from './helpers.js';

const text = (r: ReturnType<typeof run>, locale: 'zh' | 'en' = 'zh') =>
  r.replies.map((reply) => {
    const s = renderIntakeReply(reply, locale);
    return s.kind === 'file' ? '' : s.text;
  });

describe('first contact and the menu', () => {
  it('greets whatever the first message is and shows the menu', () => {
    const r = run([say('在吗')]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys).toEqual(['greet', 'menu.prompt']);
    expect(r.replies[1].choices?.map((c) => c.id)).toEqual(['start:report', 'start:progress', 'start:help']);
  });

  it('goes straight to the report when the first message asks for it', () => {
    const r = run([say('我要反映问题')]);
    expect(r.snapshot.value).toBe('privacy');
    expect(r.keys).toEqual(['greet', 'privacy.notice']);
  });

  it('privacy notice says what is collected, why, and that the unit never learns who reported', () => {
    const r = run([say('hi'), press('start:report')]);
    const [notice] = text(r);
    expect(notice).toContain('姓名、联系电话');
    expect(notice).toContain('只用于受理、转办、回访');
    expect(notice).toContain('不会知道您的姓名和联系方式');
  });

  it('declining the privacy notice registers nothing and returns to the menu', () => {
    const r = run([say('hi'), say('1'), say('不同意')]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys).toEqual(['privacy.declined', 'menu.prompt']);
    expect(r.allEffects).toEqual([]);
  });
});

describe('a complete report', () => {
  it('typed on WeChat with numbers and words reaches a summary of every answer', () => {
    const r = run(TO_SUMMARY);
    expect(r.snapshot.value).toBe('summary');
    const [summary] = text(r);
    expect(summary).toContain('事项：营业执照变更');
    expect(summary).toContain('情况：涉及多个窗口，情况复杂');
    expect(summary).toContain('涉及窗口/单位：3号窗口');
    expect(summary).toContain('电话：13812345678');
    expect(summary).toContain('初步分类：较复杂情形（工作人员会再确认）');
    expect(r.replies[0].choices?.map((c) => c.id)).toEqual(['summary:submit', 'summary:edit', 'summary:cancel']);
  });

  it('submitting asks the engine to register the complete draft', () => {
    const r = run([...TO_SUMMARY, say('确认提交')]);
    expect(r.snapshot.value).toBe('submitting');
    expect(r.effects).toHaveLength(1);
    const draft = (r.effects[0] as { draft: IntakeDraft }).draft;
    expect(draft).toEqual({
      matter: '营业执照变更',
      problem: 'complex',
      suggestedCategory: 'COMPLEX',
      account: '窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。',
      attachments: [],
      involvedUnit: '3号窗口',
      reporterName: '张三',
      reporterPhone: '13812345678',
      agitated: false,
      locale: 'zh',
    });
  });

  it('after registration tells the number, what happens next and by when, and how to follow up', () => {
    const r = run([...TO_SUMMARY, press('summary:submit'), { type: 'submitted', caseNumber: '20261124001', timeline: TIMELINE }]);
    expect(r.snapshot.value).toBe('filed');
    const all = text(r).join('\n');
    expect(all).toContain('编号：20261124001');
    expect(all).toContain('一事一议');
    expect(all).toContain('11月24日（周二）17:30 前给您第一次答复');
    expect(all).toContain('发送“进度”');
  });

  it('tells a not-stationed reporter about the transfer and the 3-working-day reply date', () => {
    const events = TO_SUMMARY.map((e) => (e.type === 'text' && e.text === '2' ? say('4') : e));
    const r = run([...events, press('summary:submit'), { type: 'submitted', caseNumber: 'X1', timeline: TIMELINE }]);
    expect(text(r).join('\n')).toContain('3 个工作日内（11月27日（周五） 前）答复');
  });

  it('off-hours submissions say when the clock starts', () => {
    const r = run([
      ...TO_SUMMARY,
      press('summary:submit'),
      { type: 'submitted', caseNumber: 'X1', timeline: { ...TIMELINE, deferredAcceptance: '11月25日（周三）9:00' } },
    ]);
    expect(r.keys).toContain('submitted.deferred');
  });

  it('photos and files sent while telling the story are submitted as attachments', () => {
    const events: IntakeEvent[] = [
      ...TO_SUMMARY.slice(0, 7),
      { type: 'attachment', kind: 'photo', ref: 'tg:photo:1', mime: 'image/jpeg' },
      { type: 'attachment', kind: 'file', ref: 'tg:doc:2', name: '回执.pdf' },
      ...TO_SUMMARY.slice(7),
      press('summary:submit'),
    ];
    const r = run(events);
    const draft = (r.effects[0] as { draft: IntakeDraft }).draft;
    expect(draft.attachments).toEqual([
      { kind: 'photo', ref: 'tg:photo:1', mime: 'image/jpeg' },
      { kind: 'file', ref: 'tg:doc:2', name: '回执.pdf' },
    ]);
  });

  it('joins an account told in several messages', () => {
    const events = [...TO_SUMMARY.slice(0, 7), say('第二次去又说要公证。'), ...TO_SUMMARY.slice(7), press('summary:submit')];
    const draft = (run(events).effects[0] as { draft: IntakeDraft }).draft;
    expect(draft.account).toBe('窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。\n第二次去又说要公证。');
  });

  it('"don\'t know" for the unit leaves it out of the draft', () => {
    const events = TO_SUMMARY.map((e) => (e.type === 'text' && e.text === '3号窗口' ? say('不清楚') : e));
    const r = run([...events, press('summary:submit')]);
    expect((r.effects[0] as { draft: IntakeDraft }).draft.involvedUnit).toBeUndefined();
  });

  it.each([
    ['1', 'GENERAL'],
    ['3', 'IRREGULAR_SERVICE'],
    ['4', 'NOT_STATIONED'],
    ['5', 'AUTHORITY_UNCLEAR'],
    ['6', null],
  ])('problem option %s suggests category %s', (answer, category) => {
    const events = TO_SUMMARY.map((e) => (e.type === 'text' && e.text === '2' ? say(answer) : e));
    const r = run([...events, press('summary:submit')]);
    expect((r.effects[0] as { draft: IntakeDraft }).draft.suggestedCategory).toBe(category);
  });

  it('an account too short to act on is asked for again', () => {
    const r = run([...TO_SUMMARY.slice(0, 6), say('没办'), say('说完了')]);
    expect(r.snapshot.value).toBe('account');
    expect(r.keys).toEqual(['account.needMore']);
  });

  it('English copy renders the same flow', () => {
    const r = run([...TO_SUMMARY], startIntake({ locale: 'en' }));
    expect(text(r, 'en')[0]).toContain('Suggested category: complex (staff will confirm)');
    expect(r.snapshot.context.locale).toBe('en');
  });
});

describe('name and phone validation', () => {
  it('re-asks a phone number with a hint, then accepts a landline', () => {
    let r = run([...TO_SUMMARY.slice(0, 10), say('12345')]);
    expect(r.snapshot.value).toBe('phone');
    expect(text(r)[0]).toContain('11 位手机号');
    r = run([say('0512-6123456')], r.snapshot);
    expect(r.snapshot.value).toBe('summary');
    expect(r.snapshot.context.draft?.reporterPhone).toBe('0512-6123456');
  });

  it('re-asks a name that is only digits', () => {
    const r = run([...TO_SUMMARY.slice(0, 9), say('13812345678')]);
    expect(r.snapshot.value).toBe('name');
    expect(r.keys).toEqual(['name.invalid']);
  });
});

describe('editing from the summary', () => {
  it('changes one field and comes straight back to the summary', () => {
    const r = run([...TO_SUMMARY, say('修改'), say('电话'), say('13900001111')]);
    expect(r.snapshot.value).toBe('summary');
    expect(text(r)[0]).toContain('电话：13900001111');
    expect(text(r)[0]).toContain('姓名：张三');
  });

  it('a new account replaces the old one', () => {
    const r = run([...TO_SUMMARY, press('summary:edit'), press('edit:account'), say('重新说：窗口要求的材料清单前后不一致。'), say('说完了')]);
    expect(r.snapshot.value).toBe('summary');
    expect(r.snapshot.context.draft?.account).toBe('重新说：窗口要求的材料清单前后不一致。');
  });

  it('changing the problem changes the suggested category', () => {
    const r = run([...TO_SUMMARY, press('summary:edit'), press('edit:problem'), press('problem:staff')]);
    expect(text(r)[0]).toContain('服务不规范');
  });

  it('cancel at the summary registers nothing', () => {
    const r = run([...TO_SUMMARY, press('summary:cancel')]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys[0]).toBe('cancelled');
    // Only the question which units "3号窗口" may mean went to the engine; nothing was submitted.
    expect(r.allEffects).toEqual([{ type: 'matchUnit', words: '3号窗口' }]);
    expect(r.snapshot.context.draft).toBeNull();
  });
});

describe('scope screening', () => {
  it.each([
    ['涉及诉讼', 'outOfScope.litigation', '12348'],
    ['3', 'outOfScope.legal', '行政复议'],
    ['信访', 'outOfScope.petition', '信访部门'],
    ['5', 'outOfScope.contrary_to_policy', '12345'],
  ])('answer %s is out of scope: explains where to go, registers nothing', (answer, key, where) => {
    const r = run([say('1'), say('1'), say('同意'), say(answer)]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys).toEqual([key, 'menu.prompt']);
    expect(text(r)[0]).toContain(where);
    expect(r.allEffects).toEqual([]);
    expect(r.snapshot.context.draft).toBeNull();
  });

  it('"not sure" continues and leaves it to staff', () => {
    const r = run([say('1'), say('1'), say('同意'), say('不确定')]);
    expect(r.snapshot.value).toBe('matter');
    expect(r.keys).toEqual(['scope.unsure', 'matter.ask']);
  });

  it('a court word in the matter is confirmed, not rejected outright', () => {
    const r = run([...TO_SUMMARY.slice(0, 4), say('法院判决后的房产过户')]);
    expect(r.snapshot.value).toBe('matterScope');
    expect(r.keys).toEqual(['scopeCheck.litigation']);
  });

  it('"no" to the keyword check goes on and does not ask again', () => {
    const r = run([
      ...TO_SUMMARY.slice(0, 4),
      say('法院判决后的房产过户'),
      say('不涉及'),
      say('1'),
      say('窗口说要法院出具的证明才行，但我已经交了。'),
    ]);
    expect(r.snapshot.value).toBe('account');
    expect(r.keys).toEqual(['account.more']);
  });

  it('"yes" to a petition hint in the account ends the report and registers nothing', () => {
    const r = run([...TO_SUMMARY.slice(0, 6), say('我这事之前已经上访过好几次了'), press('scopeCheck:yes')]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys).toEqual(['outOfScope.petition', 'menu.prompt']);
    expect(r.allEffects).toEqual([]);
  });
});

describe('after registration', () => {
  const filed = run([...TO_SUMMARY, press('summary:submit'), { type: 'submitted', caseNumber: '20261124001', timeline: TIMELINE }]).snapshot;

  it('further text is added to the case as a supplement', () => {
    const r = run([say('补充一下，窗口工号是 A023')], filed);
    expect(r.effects).toEqual([{ type: 'addSupplement', caseNumber: '20261124001', text: '补充一下，窗口工号是 A023' }]);
    expect(text(r)[0]).toContain('20261124001');
  });

  it('a photo sent later is added to the case', () => {
    const r = run([{ type: 'attachment', kind: 'photo', ref: 'p9' }], filed);
    expect(r.effects).toEqual([{ type: 'addSupplement', caseNumber: '20261124001', attachment: { kind: 'photo', ref: 'p9' } }]);
  });

  it('the menu offers to add to the submitted report', () => {
    const r = run([say('菜单'), say('补充')], filed);
    expect(r.snapshot.value).toBe('filed');
    expect(r.keys).toEqual(['supplement.ask']);
  });

  it('a registration that failed can be retried with everything kept', () => {
    let r = run([...TO_SUMMARY, press('summary:submit'), { type: 'submitFailed', reason: 'mongo timeout' }]);
    expect(r.snapshot.value).toBe('submitFailed');
    expect(text(r)[0]).toContain('内容都还在');
    r = run([say('再试一次')], r.snapshot);
    expect(r.snapshot.value).toBe('submitting');
    expect(r.effects[0].type).toBe('submitCase');
  });

  it('messages while registering do not submit twice', () => {
    const r = run([...TO_SUMMARY, press('summary:submit'), press('summary:submit'), command('cancel')]);
    expect(r.snapshot.value).toBe('submitting');
    expect(r.allEffects.filter((e) => e.type === 'submitCase')).toHaveLength(1);
    expect(r.keys).toEqual(['submitting.wait']);
  });
});

describe('checking progress', () => {
  it('asks for the number and queries it', () => {
    const r = run([say('你好'), say('2'), say('我的编号是20261124001')]);
    expect(r.snapshot.value).toBe('progressWait');
    expect(r.effects).toEqual([{ type: 'queryProgress', caseNumber: '20261124001' }]);
  });

  it('shows the timeline lines in plain words and returns to the menu', () => {
    const r = run([
      say('进度'),
      press('progress:mine'),
      { type: 'progressResult', found: true, caseNumber: '20261124001', lines: ['11月24日 已受理', '11月24日 已转办至XX镇'] },
    ]);
    expect(r.snapshot.value).toBe('menu');
    expect(text(r)[0]).toBe('20261124001 的办理进展：\n11月24日 已受理\n11月24日 已转办至XX镇');
  });

  it('says nothing was found and that only the reporter can look a case up', () => {
    const r = run([say('进度'), say('20260000000'), { type: 'progressResult', found: false }]);
    expect(text(r)[0]).toContain('只能查询在本账号反映的事项');
  });

  it('a detour to progress keeps the half-written report, which can be resumed', () => {
    const r = run([...TO_SUMMARY.slice(0, 6), command('progress'), press('progress:mine'), { type: 'progressResult', found: false }, say('继续填写')]);
    expect(r.snapshot.value).toBe('account');
    expect(r.snapshot.context.draft?.matter).toBe('营业执照变更');
  });
});

describe('follow-up visit', () => {
  it('asks satisfaction with buttons and records a comment', () => {
    let r = run([{ type: 'followUpAsked', caseNumber: '20261124001' }]);
    expect(r.snapshot.value).toBe('followUpRate');
    expect(r.keys).toEqual(['greet', 'followUp.ask']);
    expect(r.replies[1].choices?.map((c) => c.id)).toEqual(['rate:satisfied', 'rate:basically_satisfied', 'rate:dissatisfied']);
    r = run([say('不满意'), say('材料还是没给我退回来')], r.snapshot);
    expect(r.effects).toEqual([
      { type: 'recordFollowUp', caseNumber: '20261124001', satisfaction: 'dissatisfied', comment: '材料还是没给我退回来' },
    ]);
    expect(text(r)[0]).toContain('2 个工作日内');
  });

  it('"nothing to add" records the rating without a comment', () => {
    const r = run([{ type: 'followUpAsked', caseNumber: 'C1' }, say('1'), say('没有了')]);
    expect(r.effects).toEqual([{ type: 'recordFollowUp', caseNumber: 'C1', satisfaction: 'satisfied' }]);
    expect(r.snapshot.value).toBe('menu');
  });
});

describe('an agitated citizen', () => {
  it('is acknowledged and supervision is alerted once, and the draft carries the flag', () => {
    const events = [...TO_SUMMARY.slice(0, 6), say('你们这是欺人太甚！！！跑了三趟还不给办'), say('气死我了'), ...TO_SUMMARY.slice(7), press('summary:submit')];
    const r = run(events);
    expect(r.allEffects.filter((e) => e.type === 'flagAgitated')).toEqual([{ type: 'flagAgitated' }]);
    expect((r.effects[0] as { draft: IntakeDraft }).draft.agitated).toBe(true);
    const first = run(events.slice(0, 7));
    expect(first.keys[0]).toBe('agitation.calm');
  });

  it('after registration flags the case itself', () => {
    const filed = run([...TO_SUMMARY, press('summary:submit'), { type: 'submitted', caseNumber: 'C7', timeline: TIMELINE }]).snapshot;
    const r = run([say('还没人联系我，太过分了')], filed);
    expect(r.effects).toContainEqual({ type: 'flagAgitated', caseNumber: 'C7' });
    expect(r.effects).toContainEqual({ type: 'addSupplement', caseNumber: 'C7', text: '还没人联系我，太过分了' });
  });
});

describe('the unexpected', () => {
  const atMatter = run(TO_SUMMARY.slice(0, 4)).snapshot;

  it.each(['sticker', 'voice', 'location', 'video', 'other'] as const)('a %s gets a helpful answer and the question again', (kind) => {
    const r = run([{ type: 'unsupported', kind }], atMatter);
    expect(r.snapshot.value).toBe('matter');
    expect(r.keys).toEqual([`unsupported.${kind}`, 'matter.ask']);
  });

  it('a huge message says the limit and suggests several parts', () => {
    const r = run([say('长'.repeat(6000))], atMatter);
    expect(r.snapshot.value).toBe('matter');
    expect(text(r)[0]).toBe('这条消息有 6000 字，超过单条 5000 字的上限，没有记下。请分成几条发送。');
  });

  it('the account as a whole is capped', () => {
    const r = run([...TO_SUMMARY.slice(0, 6), say('甲'.repeat(3000)), say('乙'.repeat(3000))]);
    expect(r.keys).toEqual(['account.full']);
    expect(r.snapshot.context.draft?.account).toHaveLength(3000);
  });

  it('random text at a menu is answered and the menu shown again', () => {
    const r = run([say('hi'), say('asdfgh')]);
    expect(r.keys).toEqual(['answer.notUnderstood', 'menu.prompt']);
  });

  it('a button from an earlier question is recognised as stale', () => {
    const r = run([...TO_SUMMARY.slice(0, 5), press('privacy:agree')]);
    expect(r.snapshot.value).toBe('problem');
    expect(r.keys).toEqual(['answer.staleChoice', 'problem.ask']);
  });

  it('help mid-flow explains and asks the same question again', () => {
    const r = run([say('帮助')], atMatter);
    expect(r.snapshot.value).toBe('matter');
    expect(r.keys).toEqual(['help', 'matter.ask']);
  });

  it('restart mid-flow drops the draft and shows the menu', () => {
    const r = run([say('重新开始')], atMatter);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys).toEqual(['restarted', 'menu.prompt']);
    expect(r.snapshot.context.draft).toBeNull();
  });

  it('an expired dialogue tells the citizen and starts over', () => {
    const r = run([{ type: 'expired' }]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys).toEqual(['expired', 'greet', 'menu.prompt']);
  });

  it('a photo before a report is started is not silently dropped', () => {
    const r = run([say('hi'), { type: 'attachment', kind: 'photo', ref: 'p' }]);
    expect(r.keys).toEqual(['attachment.needsReport', 'menu.prompt']);
  });
});

describe('machine shape', () => {
  // Clearing the outbox is what stops a reply from being sent twice; every transition must do it.
  it('every transition starts with beginTurn', () => {
    const nodes = [intakeMachine.root, ...Object.values(intakeMachine.root.states)];
    let count = 0;
    for (const node of nodes) {
      for (const [, defs] of node.transitions) {
        for (const t of defs) {
          count++;
          const first = t.actions[0] as { type?: string } | string | undefined;
          expect(typeof first === 'string' ? first : first?.type, `${node.id} on ${t.eventType}`).toBe('beginTurn');
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });
});
