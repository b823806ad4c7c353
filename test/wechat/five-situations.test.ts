// One complete case per situation on WeChat, as `npm start` with CHANNELS=wechat runs it: the
// citizen's first message to the Official Account, the case card in the staff room, staff
// acting there with the shared text commands, liaisons answering in private, the result and
// the follow-up question back in the citizen's chat, and the archive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WechatDesk, startWechatDesk } from './wechat-desk.js';

let d: WechatDesk;
beforeAll(async () => {
  // The whole flow, not the pace: WeChat's limits are lifted here (pacing.test.ts keeps them).
  d = await startWechatDesk('wechat-five-situations', { deliveryLimits: { wechat: {}, 'wechat-oa': {} } });
}, 60_000);
afterAll(() => d?.close());

/** Everything the citizen has read: the chat (customer-service messages) and template messages. */
const reached = (openid: string) =>
  [d.chatOf(openid), ...d.fake.templates.filter((t) => t.openid === openid).map((t) => Object.values(t.data).join(' '))].join('\n');

/** A citizen's report through the Official Account, from following it to the confirmation; returns the case number. */
async function report(openid: string, o: { matter: string; situation: string; account: string; unit: string }): Promise<string> {
  await d.push(d.fake.eventFrom(openid, 'subscribe'));
  // 反映问题, 同意, 都不涉及, the matter, the situation (typed by number), the account.
  for (const line of ['1', '1', '1', o.matter, o.situation, o.account, '说完了', o.unit, '王小明', '138 1234 5678', '1']) await d.citizen(openid, line);
  const number = /编号：(\d{11})/.exec(d.chatOf(openid))?.[1];
  if (!number) throw new Error(`no case registered for ${openid}:\n${d.chatOf(openid)}`);
  return number;
}

/** A staff member types `#<number> <command>` (in the staff room unless `private`); returns what the desk answered. */
async function staff(id: string, line: string, where: 'room' | 'private' = 'room'): Promise<string> {
  const who = d.person(`wx-${id}`);
  const before = d.heard(where === 'room' ? 'room' : who).length;
  await d.say(who, `#${line}`, where);
  const answer = d.heard(where === 'room' ? 'room' : who).slice(before).join('\n');
  if (/^⚠️/m.test(answer)) throw new Error(`${id}: ${line}\n→ ${answer}`);
  return answer;
}

/** The citizen answers the follow-up question by number (1 满意, 2 基本满意, 3 不满意) and says nothing more. */
async function followUp(openid: string, choice: '1' | '2' | '3', comment = '没有了') {
  await d.citizen(openid, choice);
  await d.citizen(openid, comment);
}

const status = async (n: string) => (await d.caseDoc(n)).status;

describe('the five situations on WeChat: Official Account citizens, staff in a mock room', () => {
  it('GENERAL: a one-time notice of what is missing, the result, satisfied, archived', async () => {
    const n = await report('o-general', { matter: '食品经营许可', situation: '1', account: '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次。', unit: '市场监管局窗口' });
    // The card reaches the room with the number and without the reporter's phone.
    expect(d.heard('room').find((t) => t.includes(n))).toMatch(/【新事项】/);
    expect(d.heard('room').join('\n')).not.toContain('13812345678');
    await staff('wangfang', `${n} 分类 一般`);
    await staff('zhangmin', `${n} 告知 营业场所使用证明；健康证明复印件 说明 经核实需补齐以下材料`);
    expect(reached('o-general')).toMatch(/1\. 营业场所使用证明[\s\S]*2\. 健康证明复印件/);
    await staff('zhangmin', `${n} 办结 告知 已一次性告知需补齐的两项材料`);
    await staff('zhangmin', `${n} 回复`);
    expect(reached('o-general')).toContain('办理结果');
    await followUp('o-general', '1');
    expect((await d.caseDoc(n)).followUps.map((f) => f.satisfaction)).toEqual(['satisfied']);
    await staff('zhangmin', `${n} 备案`);
    expect(await status(n)).toBe('archived');
  }, 180_000);

  it('COMPLEX: a meeting with measures, leadership told, dissatisfied once, then satisfied, archived', async () => {
    const n = await report('o-complex', { matter: '建设工程规划许可', situation: '2', account: '涉及规划、住建、消防三个窗口，各说各的，不知道先办哪个。', unit: '不清楚' });
    await staff('wangfang', `${n} 分类 复杂`);
    await staff('wangfang', `${n} 会商 参会：业务协调科、政策法规科、规划窗口 措施：容缺受理 同意容缺受理，消防意见后补`);
    await staff('wangfang', `${n} 报告领导 已电话报告分管局领导`);
    // The leader hears of it in private, on WeChat.
    expect(d.heard(d.person('wx-zhouju')).join('\n')).toContain(n);
    await staff('zhangmin', `${n} 反馈 已组织相关科室会商，今天下班前给您答复`);
    await staff('wangfang', `${n} 办结 一事一议 容缺受理，已出件`);
    await staff('zhangmin', `${n} 回复`);
    await followUp('o-complex', '3', '消防意见还是没人管');
    expect(await status(n)).toBe('rehandling');
    // A dissatisfied follow-up is supervision's: it answers in the room.
    await staff('chenjing', `${n} 办结 一事一议 已协调消防窗口出具意见`);
    await staff('zhangmin', `${n} 回复`);
    await followUp('o-complex', '1');
    expect((await d.caseDoc(n)).followUps.map((f) => f.satisfaction)).toEqual(['dissatisfied', 'satisfied']);
    await staff('chenjing', `${n} 备案`);
    expect(await status(n)).toBe('archived');
  }, 180_000);

  it('IRREGULAR_SERVICE: supervision runs the complaint and closes it, archived', async () => {
    const n = await report('o-irregular', { matter: '不动产转移登记', situation: '3', account: '窗口私设条件，要求额外提供村委证明，网上办事指南没有这一项。', unit: '不动产登记中心' });
    await staff('wangfang', `${n} 分类 不规范`);
    expect(d.heard(d.person('wx-chenjing')).join('\n')).toContain(n);
    await staff('chenjing', `${n} 投诉 已调取窗口录像，约谈窗口负责人`);
    await staff('chenjing', `${n} 办结 投诉已处办 窗口已纠正，当场受理`);
    await staff('zhangmin', `${n} 回复`);
    await followUp('o-irregular', '1');
    await staff('chenjing', `${n} 备案`);
    expect(await status(n)).toBe('archived');
  }, 180_000);

  it('NOT_STATIONED: a transfer slip to the liaison, who signs for it and answers in private; archived', async () => {
    const n = await report('o-stationed', { matter: '义务教育入学', situation: '4', account: '孩子入学资格审核，教育局不在中心办公，找不到人，来回跑了三次。', unit: '不清楚' });
    await staff('wangfang', `${n} 分类 未进驻`);
    // The slip is previewed in the room first (naming nobody), then sent.
    expect(await staff('liuyang', `${n} 转办 jyj`)).toContain('【转办单预览】');
    await staff('liuyang', `${n} 转办 jyj`);
    const slip = d.heard(d.person('wx-wuhao')).join('\n');
    expect(slip).toContain(n);
    // The citizen complained that the 教育局 cannot be found: it is the unit complained about, and
    // its slip names nobody (the window calls the citizen back).
    expect(slip).toContain('（按规定不向被反映单位提供）');
    expect(slip).not.toMatch(/王小明|13812345678|1381234|5678/);
    await staff('wuhao', `${n} 签收`, 'private');
    await staff('wuhao', `${n} 答复 已电话联系家长，补录入学信息，资格审核通过`, 'private');
    expect((await d.caseDoc(n)).transfers.at(-1)?.reply?.text).toContain('资格审核通过');
    await staff('zhangmin', `${n} 办结 单位已处办 教育局已处理，资格审核通过`);
    await staff('zhangmin', `${n} 回复`);
    await followUp('o-stationed', '2');
    await staff('zhangmin', `${n} 备案`);
    expect(await status(n)).toBe('archived');
  }, 180_000);

  it('AUTHORITY_UNCLEAR: supervision transfers to the citizen service center, whose ineligible answer carries its basis; archived', async () => {
    const n = await report('o-unclear', { matter: '无人机飞行备案', situation: '5', account: '问了好几个窗口都说不归他们管，不知道找哪个部门。', unit: '不清楚' });
    await staff('wangfang', `${n} 分类 主体不明`);
    expect(await staff('chenjing', `${n} 转办`)).toContain('【转办单预览】');
    // Everyone in the room reads what is answered there: the preview and the case view name nobody.
    expect(await staff('zhangmin', `${n} 查看`)).toContain('反映人：按规定不予显示');
    // In private the same staff member sees the reporter, partly hidden.
    expect(await staff('zhangmin', `${n} 查看`, 'private')).toContain('反映人：王** 138****5678');
    expect(d.heard('room').join('\n')).not.toMatch(/王小明|13812345678/);
    await staff('chenjing', `${n} 转办`);
    expect((await d.caseDoc(n)).transfers[0]).toMatchObject({ unit: 'bmfw', via: 'supervision' });
    expect(d.heard(d.person('wx-fengxue')).join('\n')).toContain(n);
    const basis = '《无人驾驶航空器飞行管理暂行条例》第十条';
    await staff('fengxue', `${n} 答复 不符合 经查该事项由民航管理部门负责，本市无审批权限，已告知办理途径 依据 ${basis}`, 'private');
    await staff('zhangmin', `${n} 办结 不符合 本市无审批权限，已告知向民航管理部门申请 依据 ${basis}`);
    await staff('zhangmin', `${n} 回复`);
    expect(reached('o-unclear')).toContain(`依据：${basis}`);
    await followUp('o-unclear', '2');
    await staff('zhangmin', `${n} 备案`);
    expect(await status(n)).toBe('archived');
  }, 180_000);
});
