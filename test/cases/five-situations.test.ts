// Walks each of the five situations from intake to archive through createApp's services, as the
// window, the duty officer, the sections, a unit liaison and the citizen would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeInput } from '../../services/cases/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('five_situations');
});
afterAll(() => desk?.close());

const citizenId = { channel: 'telegram' as const, id: '9001' };
const report = (over: Partial<IntakeInput> = {}): IntakeInput => ({
  site: 'city',
  channel: 'telegram',
  reporter: { name: '王小明', phone: '13812345678', identity: citizenId },
  matter: '食品经营许可',
  account: '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次。',
  ...over,
});

async function register(over: Partial<IntakeInput> = {}) {
  const r = await desk.app.cases.register(report(over), desk.citizen('9001'));
  if (!r.registered) throw new Error('not registered');
  return r.number;
}

const citizenTexts = async (n: string) =>
  (await desk.outbox(n)).filter((m) => m.audience === 'citizen').map((m) => ('text' in m.sayable ? m.sayable.text : ''));

describe('GENERAL: one-time notice, result, satisfied, archived', () => {
  it('goes from registration to archive and tells the citizen exactly what is missing', async () => {
    const { cases } = desk.app;
    const n = await register();
    expect(n).toMatch(/^20261124\d{3}$/);
    const duty = await desk.staff('wangfang'); // Tuesday's duty officer
    const clerk = await desk.staff('zhangmin');
    expect((await cases.classify(n, 'GENERAL', duty)).case.status).toBe('handling');
    await cases.record(
      n,
      { kind: 'one_time_notice', text: '经核实需补齐以下材料', missingMaterials: ['营业场所使用证明', '健康证明复印件'] },
      clerk,
    );
    const texts = await citizenTexts(n);
    expect(texts.some((t) => t.includes('1. 营业场所使用证明') && t.includes('2. 健康证明复印件'))).toBe(true);
    await cases.resolve(n, { outcome: 'one_time_notice', text: '已一次性告知需补齐的两项材料' }, clerk);
    const replied = await cases.reply(n, undefined, clerk);
    expect(replied.case.status).toBe('replied');
    // The result and the follow-up question with three satisfaction choices reach the chat.
    const ask = (await desk.outbox(n)).find((m) => m.reason === 'citizen.follow_up');
    expect(ask?.sayable.kind).toBe('choices');
    expect(ask?.sayable.kind === 'choices' && ask.sayable.choices.map((c) => c.id)).toEqual([
      `fu:${n}:satisfied`,
      `fu:${n}:basically_satisfied`,
      `fu:${n}:dissatisfied`,
    ]);
    expect((await cases.followUp(n, { satisfaction: 'satisfied' }, desk.citizen('9001'))).case.status).toBe('verified');
    const done = await cases.archive(n, clerk);
    expect(done.case.status).toBe('archived');
    expect(done.case.nextDeadlineAt).toBeNull();
    expect(done.case.closedAt).toBeInstanceOf(Date);
  });
});

describe('COMPLEX: meeting with measures, leadership informed, dissatisfied twice, then satisfied', () => {
  it('loops through supervision until the citizen is satisfied', async () => {
    const { cases } = desk.app;
    const n = await register({ matter: '建设工程规划许可', account: '涉及规划、住建、消防三个窗口，各说各的，不知道先办哪个。' });
    const duty = await desk.staff('wangfang');
    const clerk = await desk.staff('zhangmin');
    const sup = await desk.staff('chenjing');
    await cases.classify(n, 'COMPLEX', duty);
    await cases.record(
      n,
      { kind: 'meeting', text: '会商后同意容缺受理，消防意见后补', attendees: ['业务协调科', '政策法规科', '规划窗口'], measures: ['accept_with_gaps'] },
      duty,
    );
    await cases.record(n, { kind: 'leader_informed', text: '已电话报告分管局领导' }, duty);
    const leaderMsgs = (await desk.outbox(n)).filter((m) => m.reason === 'case.leader_informed');
    expect(leaderMsgs.map((m) => m.to.id)).toEqual(['zhouju']);
    await cases.firstFeedback(n, '已组织相关科室会商，今天下班前给您答复', clerk);
    expect((await desk.caseDoc(n)).deadlines.firstFeedback?.metAt).toBeInstanceOf(Date);
    await cases.resolve(n, { outcome: 'measures_adopted', text: '容缺受理，已出件' }, duty);
    await cases.reply(n, undefined, clerk);
    for (let round = 1; round <= 2; round++) {
      const r = await cases.followUp(n, { satisfaction: 'dissatisfied', comment: '消防意见还是没人管' }, desk.citizen('9001'));
      expect(r.case.status).toBe('rehandling');
      expect(r.case.lifecycle.rehandlingRounds).toBe(round);
      // 效能督查科 answers within 2 working days: Tuesday 10:00 → Thursday 17:00.
      expect(r.case.deadlines.rehandling?.at.toISOString()).toBe('2026-11-26T09:00:00.000Z');
      await expect(cases.resolve(n, { outcome: 'measures_adopted', text: '再次协调' }, clerk)).rejects.toThrow(/效能督查科/);
      await cases.resolve(n, { outcome: 'measures_adopted', text: `第${round}次协调消防窗口，已出具意见` }, sup);
      await cases.reply(n, undefined, clerk);
    }
    expect((await cases.followUp(n, { satisfaction: 'basically_satisfied' }, clerk)).case.status).toBe('verified');
    expect((await cases.archive(n, sup)).case.status).toBe('archived');
    const doc = await desk.caseDoc(n);
    expect(doc.followUps.map((f) => f.satisfaction)).toEqual(['dissatisfied', 'dissatisfied', 'basically_satisfied']);
  });
});

describe('IRREGULAR_SERVICE: complaint procedure at supervision', () => {
  it('only supervision runs the complaint and closes it', async () => {
    const { cases } = desk.app;
    const n = await register({ involvedUnit: 'bdc', matter: '不动产转移登记', account: '窗口私设条件，要求额外提供村委证明，网上办事指南没有这一项。' });
    const duty = await desk.staff('wangfang');
    const sup = await desk.staff('chenjing');
    await cases.classify(n, 'IRREGULAR_SERVICE', duty);
    expect((await desk.outbox(n)).some((m) => m.reason === 'case.irregular' && m.to.id === 'chenjing')).toBe(true);
    await expect(cases.record(n, { kind: 'complaint_step', text: '启动投诉件办理' }, duty)).rejects.toThrow(/效能督查科/);
    await cases.record(n, { kind: 'complaint_step', text: '已调取窗口录像，约谈窗口负责人' }, sup);
    await cases.resolve(n, { outcome: 'complaint_closed', text: '窗口已纠正，当场受理' }, sup);
    await cases.reply(n, undefined, await desk.staff('zhangmin'));
    await cases.followUp(n, { satisfaction: 'satisfied' }, desk.citizen('9001'));
    expect((await cases.archive(n, sup)).case.status).toBe('archived');
  });
});

describe('NOT_STATIONED: transfer slip through coordination, unit replies within 3 working days', () => {
  it('runs the slip round trip and counts the follow-up from the unit result', async () => {
    const { cases } = desk.app;
    const n = await register({ matter: '义务教育入学', account: '孩子入学资格审核，教育局不在中心办公，找不到人。' });
    const duty = await desk.staff('wangfang');
    const coord = await desk.staff('liuyang');
    const liaison = await desk.staff('wuhao');
    // 被反映单位 answered with the classification: none, so the unit that must call the citizen may.
    await cases.classify(n, 'NOT_STATIONED', duty, undefined, 'none');
    await expect(cases.transfer(n, { unit: 'jyj' }, duty)).rejects.toThrow(/业务协调科/);
    await expect(cases.transfer(n, { unit: 'bdc' }, coord)).rejects.toThrow(/未进驻/);
    const t = await cases.transfer(n, { unit: 'jyj' }, coord);
    expect(t.case.status).toBe('transferred');
    const slip = t.case.transfers[0];
    expect(slip.number).toBe(`${n}-1`);
    // Tuesday 10:00 + 3 working days → Friday 17:00 (Asia/Shanghai).
    expect(slip.replyDueAt.toISOString()).toBe('2026-11-27T09:00:00.000Z');
    const toUnit = (await desk.outbox(n)).find((m) => m.reason === 'unit.transfer_slip');
    expect(toUnit?.to.id).toBe('wuhao');
    // The unit must contact the citizen, and is not what the complaint is about: it sees who reported.
    expect(toUnit?.sayable.kind === 'text' && toUnit.sayable.text).toContain('13812345678');
    expect(toUnit?.sayable.kind === 'text' && toUnit.sayable.text).toContain('任何人不得将举报人的姓名及其联系方式泄漏给被举报单位');
    await expect(cases.unitReply(n, { text: '已处理', eligible: true }, liaison)).rejects.toThrow(/至少 10 个字/);
    await expect(cases.unitReply(n, { text: '经审核不符合本学区入学条件，已电话告知家长', eligible: false }, liaison)).rejects.toThrow(/依据/);
    await cases.unitAck(n, liaison);
    desk.clock.advance(24 * 3600e3); // Wednesday
    const r = await cases.unitReply(n, { text: '已电话联系家长，补录入学信息，资格审核通过，周五前发通知书', eligible: true }, liaison);
    expect(r.case.status).toBe('handling');
    expect(r.case.deadlines.unitReply?.metAt).toBeInstanceOf(Date);
    const clerk = await desk.staff('zhangmin');
    await cases.resolve(n, { outcome: 'transferred_result', text: '教育局已处理，资格审核通过' }, clerk);
    const rep = await cases.reply(n, undefined, clerk);
    // 5 working days from the unit's result (Wednesday) → next Wednesday 17:00.
    expect(rep.case.deadlines.followUp?.at.toISOString()).toBe('2026-12-02T09:00:00.000Z');
    await cases.followUp(n, { satisfaction: 'satisfied' }, clerk);
    expect((await cases.archive(n, clerk)).case.status).toBe('archived');
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });
});

describe('AUTHORITY_UNCLEAR: supervision to the citizen service center', () => {
  it('goes to 市便民服务中心 by default and an ineligible answer carries its basis', async () => {
    const { cases } = desk.app;
    const n = await register({ matter: '无人机飞行备案', account: '问了好几个窗口都说不归他们管，不知道找哪个部门。' });
    const duty = await desk.staff('wangfang');
    const sup = await desk.staff('chenjing');
    await cases.classify(n, 'AUTHORITY_UNCLEAR', duty);
    await expect(cases.transfer(n, {}, await desk.staff('liuyang'))).rejects.toThrow(/效能督查科/);
    const t = await cases.transfer(n, {}, sup);
    expect(t.case.transfers[0].unit).toBe('bmfw');
    expect(t.case.transfers[0].via).toBe('supervision');
    const center = await desk.staff('fengxue');
    await cases.unitReply(
      n,
      { text: '经查该事项由民航管理部门负责，本市无审批权限，已告知办理途径', eligible: false, basis: '《无人驾驶航空器飞行管理暂行条例》第十条' },
      center,
    );
    const clerk = await desk.staff('zhangmin');
    await expect(cases.resolve(n, { outcome: 'ineligible', text: '本市无审批权限' }, clerk)).rejects.toThrow(/依据/);
    await cases.resolve(n, { outcome: 'ineligible', text: '本市无审批权限，已告知向民航管理部门申请', basis: '《无人驾驶航空器飞行管理暂行条例》第十条' }, clerk);
    await cases.reply(n, undefined, clerk);
    const texts = await citizenTexts(n);
    expect(texts.some((t) => t.includes('依据：《无人驾驶航空器飞行管理暂行条例》第十条'))).toBe(true);
    await cases.followUp(n, { satisfaction: 'basically_satisfied' }, desk.citizen('9001'));
    expect((await cases.archive(n, clerk)).case.status).toBe('archived');
  });
});

describe('the 5-working-day follow-up clock (在 5 个工作日内进行跟踪回访)', () => {
  it('opens at acceptance for a case handled at the center, reminds, escalates and is listed as 超期', async () => {
    const { cases } = desk.app;
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const n = await register({ matter: '建设工程规划许可', account: '涉及规划、住建、消防三个窗口，各说各的，不知道先办哪个。' });
    // Tuesday 10:00 + 5 working days → next Tuesday 17:00, before any result is given.
    expect((await desk.caseDoc(n)).deadlines.followUp?.at.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    await cases.classify(n, 'COMPLEX', await desk.staff('wangfang'));
    // Still in handling on the due day: the clerk is reminded at the opening…
    desk.clock.set('2026-12-01T09:05:00+08:00');
    await desk.app.sweeper.sweepOnce();
    const reminders = (await desk.outbox(n)).filter((m) => m.reason === 'reminder.followUp');
    expect(reminders.map((m) => m.to.id)).toContain('zhangmin');
    // …and once it has passed, the case is in 超期 and the room hears of it.
    desk.clock.set('2026-12-02T10:00:00+08:00');
    await desk.app.sweeper.sweepOnce();
    expect((await desk.outbox(n)).some((m) => m.reason === 'escalation.followUp' && m.to.id === 'staff-room')).toBe(true);
    const overdue = await cases.list((await desk.staff('zhangmin')).staff, { scope: 'overdue' });
    const row = overdue.items.find((r) => r.number === n);
    expect(row?.overdue.map((o) => o.kind)).toContain('followUp');
    // Giving the result keeps the clock that already runs.
    await cases.resolve(n, { outcome: 'explained', text: '已协调三个窗口出具一致口径' }, await desk.staff('wangfang'));
    const rep = await cases.reply(n, undefined, await desk.staff('zhangmin'));
    expect(rep.case.deadlines.followUp?.at.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });

  it('stops while a slip is out and restarts from the unit result', async () => {
    const { cases } = desk.app;
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const n = await register({ matter: '义务教育入学', account: '孩子入学资格审核，教育局不在中心办公，找不到人。' });
    await cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'));
    const t = await cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    expect(t.case.deadlines.followUp ?? null).toBeNull();
    desk.clock.set('2026-11-26T10:00:00+08:00'); // Thursday
    const r = await cases.unitReply(n, { text: '已电话联系家长，资格审核通过，周五前发通知书', eligible: true }, await desk.staff('wuhao'));
    // Thursday + 5 working days → next Thursday 17:00.
    expect(r.case.deadlines.followUp?.at.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });
});

describe('a complex case and what the staff screen shows of it', () => {
  const screen = async (who: string, line: string) =>
    (await desk.app.staffCommand((await desk.staff(who)).staff, line)).map((s) => ('text' in s ? s.text : '')).join('\n');

  it('keeps every window involved, asks for the leadership report and closes on measures only after it', async () => {
    const { cases } = desk.app;
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const n = await register({ matter: '餐饮店开业', account: '营业执照和不动产证明两个窗口互相推，说要先办对方的。' });
    const duty = await desk.staff('wangfang');
    const classified = await cases.classify(n, 'COMPLEX', duty);
    expect(classified.case.outbox.some((m) => m.reason === 'case.complex' && 'text' in m.sayable && m.sayable.text.includes('向局领导汇报'))).toBe(true);
    await cases.record(
      n,
      { kind: 'meeting', text: '会商后同意告知承诺', attendees: ['业务协调科', '市场准入窗口', '不动产登记窗口'], measures: ['notify_commit'] },
      duty,
    );
    expect((await desk.outbox(n)).some((m) => m.reason === 'case.leader_pending')).toBe(true);
    await expect(cases.resolve(n, { outcome: 'measures_adopted', text: '告知承诺办理，已出证' }, duty)).rejects.toThrow(/局领导汇报/);
    let view = await screen('wangfang', `#${n} 查看`);
    expect(view).toContain('涉及窗口：市场准入综合窗口、不动产登记窗口');
    expect(view).toContain('向局领导汇报：尚未汇报');
    expect(view).toContain('参会：业务协调科、市场准入窗口、不动产登记窗口');
    expect(view).toContain('措施：告知承诺');
    await cases.record(n, { kind: 'leader_informed', text: '已电话报告分管局领导' }, duty);
    view = await screen('wangfang', `#${n} 查看`);
    expect(view).toContain('向局领导汇报：已汇报');
    expect((await cases.resolve(n, { outcome: 'measures_adopted', text: '告知承诺办理，已出证' }, duty)).case.status).toBe('resolved');
  });

  it('shows the materials of a one-time notice on the case screen and the next deadline in #列表', async () => {
    const { cases } = desk.app;
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const n = await register();
    await cases.classify(n, 'GENERAL', await desk.staff('wangfang'));
    await cases.record(n, { kind: 'one_time_notice', text: '经核实需补齐以下材料', missingMaterials: ['营业场所使用证明', '健康证明复印件'] }, await desk.staff('zhangmin'));
    expect(await screen('zhangmin', `#${n} 查看`)).toContain('需补齐材料：1. 营业场所使用证明；2. 健康证明复印件');
    const list = await screen('zhangmin', '#列表');
    const row = list.split(/\n(?=\d+\. )/).find((r) => r.includes(n));
    expect(row).toMatch(/时限：(首次反馈|回访) 2026年/);
  });
});

describe('names and accounts counted as people count them', () => {
  it('refuses an emoji-only name or account and counts an emoji as one character', async () => {
    const { cases } = desk.app;
    await expect(cases.register(report({ reporter: { name: '🙂🙂', phone: '13812345678', identity: citizenId } }), desk.citizen('9001'))).rejects.toThrow(/含文字/);
    await expect(cases.register(report({ account: '😡😡😡😡😡😡😡😡' }), desk.citizen('9001'))).rejects.toThrow(/表情和符号不算/);
    // A family emoji is one character to a person (five code points); a name with letters and one is fine.
    const r = await cases.register(report({ reporter: { name: '王小明👨‍👩‍👧', phone: '13812345678', identity: citizenId } }), desk.citizen('9001'));
    expect(r.registered).toBe(true);
    // Too long for the store even though few characters: a clear refusal, not a validation crash.
    const long = `王${'👨‍👩‍👧'.repeat(20)}`;
    await expect(cases.register(report({ reporter: { name: long, phone: '13812345678', identity: citizenId } }), desk.citizen('9001'))).rejects.toThrow(/姓名须为/);
  });
});

describe('new-case notice', () => {
  it('shows the agitated flag to the room and the duty officer', async () => {
    const r = await desk.app.cases.register(report({ agitated: true }), desk.citizen('9001'));
    if (!r.registered) throw new Error('not registered');
    const notices = r.case.outbox.filter((m) => m.reason === 'case.registered' || m.reason === 'case.duty_officer');
    expect(notices.length).toBe(2);
    for (const m of notices) expect('text' in m.sayable && m.sayable.text).toContain('诉求人情绪激动');
  });
});

describe('rehandling with the unit (效能督查科会同相关部门、镇(街道))', () => {
  it('brings the transferred unit back in with a new slip due when supervision must answer', async () => {
    const { cases } = desk.app;
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const n = await register({ matter: '义务教育入学', account: '孩子入学资格审核，教育局不在中心办公，找不到人。' });
    const clerk = await desk.staff('zhangmin');
    const liaison = await desk.staff('wuhao');
    const sup = await desk.staff('chenjing');
    await cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'));
    await cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    await cases.unitReply(n, { text: '已电话联系家长，资格审核通过，周五前发通知书', eligible: true }, liaison);
    await cases.resolve(n, { outcome: 'transferred_result', text: '教育局已处理，资格审核通过' }, clerk);
    await cases.reply(n, undefined, clerk);
    const r = await cases.followUp(n, { satisfaction: 'dissatisfied', comment: '通知书到现在也没收到' }, clerk);
    const due = r.case.deadlines.rehandling?.at.toISOString();
    expect(due).toBe('2026-11-26T09:00:00.000Z');
    await expect(cases.transfer(n, {}, await desk.staff('liuyang'))).rejects.toThrow(/效能督查科/);
    await expect(cases.transfer(n, { unit: 'zjj' }, sup)).rejects.toThrow(/原承办单位/);
    const back = await cases.transfer(n, {}, sup);
    expect(back.case.status).toBe('rehandling');
    const slip = back.case.transfers.at(-1)!;
    expect(slip).toMatchObject({ unit: 'jyj', number: `${n}-2`, via: 'supervision' });
    // The 2-working-day clock is kept: the unit answers by supervision's own deadline.
    expect(slip.replyDueAt.toISOString()).toBe(due);
    const toUnit = (await desk.outbox(n)).filter((m) => m.reason === 'unit.transfer_slip').at(-1);
    expect('text' in toUnit!.sayable && toUnit!.sayable.text).toContain('通知书到现在也没收到');
    const answered = await cases.unitReply(n, { text: '已补寄入学通知书，并电话告知家长', eligible: true }, liaison);
    expect(answered.case.status).toBe('rehandling');
    expect(answered.case.deadlines.rehandling?.metAt).toBeUndefined();
    expect((await cases.resolve(n, { outcome: 'transferred_result', text: '教育局已补寄通知书' }, sup)).case.status).toBe('resolved');
  });
});

describe('stationed windows (巡导员及时向相关窗口了解情况)', () => {
  const run = async (who: string, line: string) =>
    (await desk.app.staffCommand((await desk.staff(who)).staff, line)).map((s) => ('text' in s ? s.text : '')).join('\n');

  it('the duty officer asks the window, its liaison answers in their channel, and the answer lands in the case', async () => {
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const n = await register({
      involvedUnit: 'scrz',
      account: '我叫王小明，电话13812345678，市场准入窗口说我的材料不全，但没有告诉我缺什么。',
    });
    await desk.app.cases.classify(n, 'GENERAL', await desk.staff('wangfang'));
    expect(await run('wangfang', `#${n} 问窗口 市场准入窗口 为什么没有一次性告知所缺材料`)).toContain('已向市场准入综合窗口了解');
    const question = (await desk.outbox(n)).find((m) => m.reason === 'unit.window_question');
    expect(question?.to.id).toBe('gujia');
    const text = question && 'text' in question.sayable ? question.sayable.text : '';
    expect(text).toContain('为什么没有一次性告知所缺材料');
    // The window complained about never learns who reported.
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('王小明');
    expect(await run('gujia', `#${n} 回答 当时窗口人员未列明缺少的场地证明，已批评教育并补发清单`)).toContain('已答复');
    const doc = await desk.caseDoc(n);
    expect(doc.handling.map((h) => h.kind)).toEqual(['window_question', 'window_answer']);
    expect((await desk.outbox(n)).some((m) => m.reason === 'case.window_answer' && m.to.id === 'wangfang')).toBe(true);
    const view = await run('wangfang', `#${n} 查看`);
    expect(view).toContain('进驻窗口答复');
    expect(view).toContain('涉及窗口：市场准入综合窗口');
    // A second answer has no question to answer; another window has none either.
    await expect(run('gujia', `#${n} 回答 再补充一点情况说明`)).resolves.toContain('没有向您所在窗口提出的待答复询问');
    await expect(run('wangfang', `#${n} 问窗口 jyj 请说明情况`)).resolves.toMatch(/找不到单位|不是本中心的进驻窗口/);
  });
});

describe('one word for each field', () => {
  it('calls the console channel 控制台 in the registration record as in every other place', async () => {
    const r = await desk.app.cases.register(report({ channel: 'console', reporter: { name: '王小明', phone: '13812345678', identity: { channel: 'console', id: 'citizen' } } }), desk.citizen('citizen', 'console'));
    if (!r.registered) throw new Error('not registered');
    expect(r.case.timeline[0].text).toContain('登记受理（控制台）');
    expect(r.case.timeline[0].text).not.toContain('终端');
  });
});
