// Staff in a WeChat room, liaisons in private, a citizen writing to the account: all through
// wechaty-puppet-mock and the wechat channel plug-in, with the same staff commands as every other channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from '../../bots/wechat/wechaty/messages.js';
import { type WechatDesk, startWechatDesk } from './wechat-desk.js';

const NUMBER = '20261124001';
let d: WechatDesk;

beforeAll(async () => {
  // Staff work, not pace: WeChat's limits are lifted here (pacing.test.ts keeps them).
  d = await startWechatDesk('wechaty-staff', { deliveryLimits: { wechat: {}, 'wechat-oa': {} } });
}, 60_000);
afterAll(async () => {
  await d?.close();
});

describe('staff command lines in WeChat', () => {
  it.each([
    ['#20261124001 签收', '20261124001 签收'],
    ['＃列表', '列表'],
    ['大家好', null],
    ['「王芳：【新事项】20261124001 义务教育入学」\n- - - - - - - - - - - - - - -\n办结 办理 已处理', '20261124001 办结 办理 已处理'],
    ['「王芳：【新事项】20261124001」\n- - - - - - - - - - - - - - -\n#20261124002 备注 另一件', '20261124002 备注 另一件'],
    ['「王芳：中午吃什么」\n- - - - - - - - - - - - - - -\n随便', null],
  ])('reads %j as %j', (text, line) => expect(commandLine(text)).toBe(line));
});

describe('WeChat staff room, liaisons and citizens (wechaty-puppet-mock)', () => {
  it('should carry a citizen report through the room and the liaison, keeping the reporter from the unit complained about', async () => {
    const citizen = d.person('wx-citizen', '王小明');
    for (const line of ['你好', '1', '1', '1', '义务教育入学', '4', '教育局不在中心办公，找不到人，来回跑了三次。', '说完了', '不清楚', '王小明', '138 1234 5678', '1'])
      await d.say(citizen, line);
    expect(d.heard(citizen).join('\n')).toContain(`编号：${NUMBER}`);
    expect(d.heard(citizen).join('\n')).toMatch(/1\. .+\n2\. /);
    // The case card reaches the room: number, and no raw phone.
    const card = d.heard('room').find((t) => t.includes(NUMBER));
    expect(card).toBeDefined();
    expect(d.heard('room').join('\n')).not.toContain('13812345678');

    // Someone in the room who is not staff: one short note, nothing changes, however often.
    const stranger = d.person('wx-stranger', '路人');
    await d.say(stranger, `#${NUMBER} 分类 一般`, 'room');
    await d.say(stranger, `#${NUMBER} 办结 办理 好了`, 'room');
    expect(d.heard('room').filter((t) => t.includes('不在本中心工作人员名单'))).toHaveLength(1);
    expect((await d.caseDoc(NUMBER)).status).toBe('registered');

    // Staff act in the room with the console's commands; quoting the card addresses its case.
    await d.say(d.person('wx-wangfang', 'wangfang'), `「办不成事窗口：${card}」\n- - - - - - - - - - - - - - -\n分类 未进驻`, 'room');
    expect((await d.caseDoc(NUMBER)).category).toBe('NOT_STATIONED');
    await d.say(d.person('wx-wangfang', 'wangfang'), `#${NUMBER} 涉及 jyj`, 'room');
    await d.say(d.person('wx-liuyang', 'liuyang'), `#${NUMBER} 转办 jyj`, 'room'); // the preview
    expect(d.heard('room').join('\n')).toContain('【转办单预览】');
    await d.say(d.person('wx-liuyang', 'liuyang'), `#${NUMBER} 转办 jyj`, 'room'); // sent
    expect((await d.caseDoc(NUMBER)).status).toBe('transferred');

    // The liaison of the unit complained about gets the slip in private, without the reporter.
    const liaison = d.person('wx-wuhao', 'wuhao');
    const slip = d.heard(liaison).join('\n');
    expect(slip).toContain(NUMBER);
    expect(slip).not.toContain('王小明');
    expect(slip).not.toMatch(/1381234|5678/);
    await d.say(liaison, `#${NUMBER} 签收`);
    await d.say(liaison, `#${NUMBER} 答复 已联系，资格审核通过`);
    expect((await d.caseDoc(NUMBER)).transfers.at(-1)?.reply?.text).toContain('资格审核通过');
    // A staff member writing privately without a command is told how.
    await d.say(liaison, '收到');
    expect(d.heard(liaison).at(-1)).toContain('#编号');
  }, 180_000);
});
