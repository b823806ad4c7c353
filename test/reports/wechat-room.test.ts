// A WeChat staff room may hold anyone, so what staff ask for there is composed for the room:
// the wechaty adapter tells the staff commands it is a room. Before it did, `#n 身份` typed in a
// room answered with the reporter's full name and phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WechatDesk, startWechatDesk } from '../wechat/wechat-desk.js';

let d: WechatDesk;
let number: string;
beforeAll(async () => {
  d = await startWechatDesk('reports-wechat-room', { deliveryLimits: { wechat: {}, 'wechat-oa': {} } });
  const clerk = await d.app.directory.staff('zhangmin');
  const out = await d.app.staffCommand(clerk, '登记 王小明 13812345678 事项：义务教育入学 情况：教育局不在中心办公，找不到人。');
  number = /事项编号 (\d{11})/.exec(out.map((s: { kind: string; text?: string }) => s.text ?? '').join())![1];
}, 60_000);
afterAll(async () => {
  await d?.close();
});

describe('report and identity commands in a WeChat staff room', () => {
  it('refuses the full identity and a full 登记表 in the room, and answers both in private', async () => {
    const wangfang = d.person('wx-wangfang', 'wangfang');
    await d.say(wangfang, `#${number} 身份`, 'room');
    await d.say(wangfang, `#${number} 登记表 完整`, 'room');
    const room = d.heard('room').join('\n');
    expect(room).not.toContain('13812345678');
    expect(room).toContain('不能发到工作群');
    await d.say(wangfang, `#${number} 身份`);
    expect(d.heard(wangfang).join('\n')).toContain('13812345678');
  });
});
