// One complete case per situation (分类处办), from the citizen's first message in a private chat
// to 备案, with staff working it from the case's topic in the staff group — by the card's
// buttons and by commands typed in the topic — and liaisons answering transfer slips in private.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotMessage } from '../support/bot-api-fake/index.js';
import { STAFF_GROUP, type StaffDesk, TG, startStaffDesk } from './staff-harness.js';

let d: StaffDesk;
beforeAll(async () => {
  d = await startStaffDesk('tg_staff_five');
}, 60_000);
afterAll(() => d?.close());

const inTopic = async (n: string, who: string, text: string) => d.say(who, text, { chat: STAFF_GROUP, thread: (await d.topic(n)).threadId });
const status = async (n: string) => (await d.caseDoc(n)).status;
const lastTo = (chat: number) => d.fake.sent(chat).at(-1)?.text ?? '';
const topicText = async (n: string) => (await d.inTopic(n)).map((m) => m.text ?? '').join('\n');
const rate = async (citizen: number, label: string, comment = '没有了') => {
  const ask = [...d.fake.sent(citizen)].reverse().find((m) => m.text?.includes('是否满意')) as BotMessage;
  await d.press(citizen, ask, label);
  await d.say(citizen, comment);
};
async function archivedAndClosed(n: string) {
  expect(await status(n)).toBe('archived');
  const t = await d.topic(n);
  expect(d.fake.topics(STAFF_GROUP).find((x) => x.message_thread_id === t.threadId)?.closed).toBe(true);
  expect((await d.card(n)).text).toContain('已备案');
}

describe('the five situations through Telegram', { timeout: 60_000 }, () => {
  it('GENERAL: classified by button, one-time notice typed in the topic, result, satisfied, archived', async () => {
    const c = 9101;
    const n = await d.report(c, '食品经营许可', '1', '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次。');
    await d.press('wangfang', await d.card(n), '分类：一般性情形');
    expect(await status(n)).toBe('handling');
    await inTopic(n, 'zhangmin', '#告知 营业场所使用证明；健康证明复印件 说明 经核实需补齐以下材料');
    expect(lastTo(c)).toMatch(/一次性告知[\s\S]*1\. 营业场所使用证明[\s\S]*2\. 健康证明复印件/);
    await inTopic(n, 'zhangmin', '#办结 告知 已一次性告知需补齐的两项材料');
    expect(await status(n)).toBe('resolved');
    await d.press('zhangmin', await d.card(n), '向诉求人反馈办理结果');
    expect(await status(n)).toBe('replied');
    await rate(c, '满意');
    expect(await status(n)).toBe('verified');
    await d.press('zhangmin', await d.card(n), '备案');
    await archivedAndClosed(n);
  });

  it('COMPLEX: meeting and leadership typed in the topic, progress as a plain message, dissatisfied then satisfied', async () => {
    const c = 9102;
    const n = await d.report(c, '建设工程规划许可', '2', '涉及规划、住建、消防三个窗口，各说各的，不知道先办哪个。');
    await d.press('wangfang', await d.card(n), '分类：较复杂情形');
    await inTopic(n, 'wangfang', '#会商 参会：业务协调科、政策法规科 措施：容缺受理 同意容缺受理，消防意见后补');
    await inTopic(n, 'wangfang', '#报告领导 已电话报告分管局领导');
    expect((await d.caseDoc(n)).handling.map((h) => h.kind)).toEqual(expect.arrayContaining(['meeting', 'leader_informed']));
    await inTopic(n, 'zhangmin', '已组织相关科室会商，今天下班前给您答复');
    expect(lastTo(c)).toContain('已组织相关科室会商，今天下班前给您答复');
    expect((await d.caseDoc(n)).deadlines.firstFeedback?.metAt).toBeInstanceOf(Date);
    await inTopic(n, 'wangfang', '#办结 一事一议 容缺受理，已出件');
    await d.press('zhangmin', await d.card(n), '向诉求人反馈办理结果');
    await rate(c, '不满意', '消防意见还是没人管');
    expect(await status(n)).toBe('rehandling');
    // The citizen's words after submission reach the topic (without identity).
    expect(await topicText(n)).toContain('消防意见还是没人管');
    await inTopic(n, 'chenjing', '#办结 一事一议 再次协调消防窗口，已出具意见');
    expect(await status(n)).toBe('resolved');
    await inTopic(n, 'zhangmin', '#回复');
    await rate(c, '基本满意');
    expect(await status(n)).toBe('verified');
    await d.press('chenjing', await d.card(n), '备案');
    await archivedAndClosed(n);
    expect((await d.caseDoc(n)).followUps.map((f) => f.satisfaction)).toEqual(['dissatisfied', 'basically_satisfied']);
  });

  it('IRREGULAR_SERVICE: 被反映单位 settled in the topic, complaint by supervision, no identity in the group', async () => {
    const c = 9103;
    const n = await d.report(c, '不动产转移登记', '3', '窗口私设条件，要求额外提供村委证明，网上办事指南没有这一项。');
    await d.press('wangfang', await d.card(n), '分类：服务不规范情形');
    await inTopic(n, 'wangfang', '#被反映单位 bdc');
    expect((await d.caseDoc(n)).involvedUnits).toEqual(['bdc']);
    expect((await d.card(n)).text).toContain('被反映单位：不动产登记窗口（已确认）');
    // Only supervision runs the complaint procedure: the duty officer is told so, nothing changes.
    await inTopic(n, 'wangfang', '#投诉 启动投诉件办理');
    expect(await topicText(n)).toContain('效能督查科');
    await inTopic(n, 'chenjing', '#投诉 已调取窗口录像，约谈窗口负责人');
    await inTopic(n, 'chenjing', '#办结 投诉已处办 窗口已纠正，当场受理');
    await d.press('zhangmin', await d.card(n), '向诉求人反馈办理结果');
    await rate(c, '满意');
    await d.press('chenjing', await d.card(n), '备案');
    await archivedAndClosed(n);
    expect(await topicText(n)).not.toMatch(/王小明|1381234|5678/);
  });

  it('NOT_STATIONED: transfer slip by button, the liaison signs and answers in private, result, archived', async () => {
    const c = 9104;
    const n = await d.report(c, '义务教育入学', '4', '孩子入学资格审核，教育局不在中心办公，找不到人。');
    await d.press('wangfang', await d.card(n), '分类：未进驻情形');
    await d.press('wangfang', await d.card(n), '被反映单位：无');
    await d.transfer('liuyang', n, '转办：市教育局');
    expect(await status(n)).toBe('transferred');
    const slip = [...d.fake.sent(TG.wuhao)].reverse().find((m) => m.text?.includes(`编号：${n}-1`)) as BotMessage;
    // The unit must contact the citizen and is not complained about: the slip names them.
    expect(slip.text).toContain('13812345678');
    await d.press('wuhao', slip, '签收');
    await d.press('wuhao', d.fake.sent(TG.wuhao).find((m) => m.message_id === slip.message_id)!, '答复办理结果');
    await d.say('wuhao', '已电话联系家长，补录入学信息，资格审核通过，周五前发通知书');
    expect(await status(n)).toBe('handling');
    expect(await topicText(n)).toContain('资格审核通过');
    await inTopic(n, 'zhangmin', '#办结 单位已处办 教育局已处理，资格审核通过');
    await inTopic(n, 'zhangmin', '#回复');
    await rate(c, '满意');
    await inTopic(n, 'zhangmin', '#备案');
    await archivedAndClosed(n);
  });

  it('AUTHORITY_UNCLEAR: supervision to 市便民服务中心, an ineligible answer with its basis, archived', async () => {
    const c = 9105;
    const n = await d.report(c, '无人机飞行备案', '5', '问了好几个窗口都说不归他们管，不知道找哪个部门。');
    await d.press('wangfang', await d.card(n), '分类：审批主体不明情形');
    await inTopic(n, 'wangfang', '#被反映单位 无');
    // 业务协调科 may not send this one; the card's button answers who may.
    const q = await d.press('liuyang', await d.card(n), '转办：市便民服务中心');
    expect(d.fake.callbacks.get(q)?.answer).toMatchObject({ show_alert: true });
    expect(d.fake.callbacks.get(q)?.answer?.text).toContain('效能督查科');
    await d.transfer('chenjing', n, '转办：市便民服务中心');
    expect((await d.caseDoc(n)).transfers[0].unit).toBe('bmfw');
    const slip = [...d.fake.sent(TG.fengxue)].reverse().find((m) => m.text?.includes(`编号：${n}-1`)) as BotMessage;
    await d.press('fengxue', slip, '答复：不符合办理条件');
    await d.say('fengxue', '经查该事项由民航管理部门负责，本市无审批权限');
    expect(lastTo(TG.fengxue)).toContain('依据');
    expect(await status(n)).toBe('transferred');
    await d.say('fengxue', '经查该事项由民航管理部门负责，本市无审批权限，已告知办理途径 依据 《无人驾驶航空器飞行管理暂行条例》第十条');
    expect((await d.caseDoc(n)).transfers[0].reply).toMatchObject({ eligible: false, basis: '《无人驾驶航空器飞行管理暂行条例》第十条' });
    await inTopic(n, 'zhangmin', '#办结 不符合 本市无审批权限，已告知向民航管理部门申请 依据 《无人驾驶航空器飞行管理暂行条例》第十条');
    await inTopic(n, 'zhangmin', '#回复');
    expect(d.fake.sent(c).map((m) => m.text).join('\n')).toContain('依据：《无人驾驶航空器飞行管理暂行条例》第十条');
    await rate(c, '基本满意');
    await d.press('zhangmin', await d.card(n), '备案');
    await archivedAndClosed(n);
  });

  it('should have opened exactly one topic per case', async () => {
    expect(d.fake.topics(STAFF_GROUP)).toHaveLength(5);
    expect(await d.app.models.TelegramTopic.countDocuments()).toBe(5);
  });
});
