// Citizens on the Official Account, end to end against the local WeChat fake: the dialogue in
// numbered text menus, a photo kept by the desk, menu clicks, progress pushes, and the 48-hour
// window: a follow-up days later goes out as a template message, and when even that fails the
// case is marked for a phone call and staff are told.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toMessage } from '../../services/delivery/index.js';
import { type OaDesk, startOaDesk } from './oa-harness.js';

let desk: OaDesk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

const DAY = 24 * 3600_000;
const NUMBER = '20261124001';

/** Everything the citizen has read in the chat so far (customer-service messages). */
const chatOf = (d: OaDesk, openid: string) =>
  d.fake.custom
    .filter((m) => m.openid === openid)
    .map((m) => m.content ?? '')
    .join('\n---\n');

/** The report of the console walkthrough, typed into WeChat: numbers for menus, words otherwise. */
async function report(d: OaDesk, openid: string) {
  await d.push(d.fake.eventFrom(openid, 'subscribe'));
  for (const line of ['1', '1', '1', '义务教育入学', '4', '孩子入学资格审核，教育局不在中心办公，找不到人，来回跑了三次。']) await d.say(openid, line);
  const photo = d.fake.addMedia(Buffer.from('a photo of the notice'), 'image/jpeg', 'notice.jpg');
  await d.push(d.fake.imageFrom(openid, photo));
  for (const line of ['说完了', '不清楚', '王小明', '138 1234 5678', '1']) await d.say(openid, line);
}

describe('WeChat Official Account: citizens', () => {
  it('should take a report in numbered text menus, keep the photo, and carry the case to archive', async () => {
    desk = await startOaDesk('oa-citizen-loop');
    const d = desk;
    await report(d, 'o-citizen-1');
    const chat = chatOf(d, 'o-citizen-1');
    // Menus arrive as numbered lines with the hint; the citizen answered them by number.
    expect(chat).toMatch(/1\. .+\n2\. .+[\s\S]*回复序号或文字即可选择/);
    expect(chat).toContain(`编号：${NUMBER}`);
    const c = await d.caseDoc(NUMBER);
    expect(c.reporter.identity).toEqual({ channel: 'wechat', id: 'oa:o-citizen-1' });
    // The photo is the desk's own copy, not a WeChat media id that dies in three days.
    const photo = c.attachments.find((a) => a.kind === 'photo');
    expect(photo?.ref).toMatch(/^desk-file:[0-9a-f]{64}\.jpg$/);
    const [file] = readdirSync(d.filesDir);
    expect(readFileSync(join(d.filesDir, file), 'utf8')).toBe('a photo of the notice');

    await d.staff('wangfang', `${NUMBER} 分类 未进驻`);
    await d.staff('liuyang', `${NUMBER} 转办 jyj`); // the preview
    await d.staff('liuyang', `${NUMBER} 转办 jyj`); // sent
    await d.staff('wuhao', `${NUMBER} 签收`);
    await d.staff('wuhao', `${NUMBER} 答复 已电话联系家长，资格审核通过`);
    await d.staff('zhangmin', `${NUMBER} 办结 单位已处办 教育局已处理，资格审核通过`);
    await d.staff('zhangmin', `${NUMBER} 回复`);
    // Progress and the result reached the citizen in the same chat, within the five messages
    // WeChat allows after the citizen's last one: the registration's four replies went as one.
    const toCitizen = await d.app.models.Message.find({ 'to.id': 'oa:o-citizen-1' }).lean();
    expect(toCitizen.map((m) => m.reason)).toEqual(expect.arrayContaining(['citizen.classified', 'citizen.result', 'citizen.follow_up']));
    expect(toCitizen.filter((m) => m.state !== 'sent')).toEqual([]);
    expect(d.fake.custom.find((m) => m.content?.includes(`编号：${NUMBER}`))?.content).toMatch(/正在为您登记[\s\S]*编号：[\s\S]*接下来/);
    expect(d.fake.errors.map((e) => e.errcode)).not.toContain(45047);
    expect(chatOf(d, 'o-citizen-1')).toContain('办理结果');
    await d.say('o-citizen-1', '1'); // satisfied, answering the follow-up menu by number
    await d.say('o-citizen-1', '没有了');
    expect((await d.caseDoc(NUMBER)).followUps.map((f) => f.satisfaction)).toEqual(['satisfied']);
    await d.staff('zhangmin', `${NUMBER} 备案`);
    expect((await d.caseDoc(NUMBER)).status).toBe('archived');
  });

  it('should deliver a follow-up three days later as a template message, and let the citizen answer it by number', async () => {
    desk = await startOaDesk('oa-citizen-template');
    const d = desk;
    await report(d, 'o-citizen-2');
    await d.staff('wangfang', `${NUMBER} 分类 一般`);
    await d.staff('zhangmin', `${NUMBER} 办结 办理 窗口已补办完成`);
    const before = d.fake.templates.length;
    d.clock.advance(3 * DAY);
    await d.staff('zhangmin', `${NUMBER} 回复`);
    expect(d.fake.errors.some((e) => e.errcode === 45015)).toBe(true);
    const followUp = d.fake.templates.slice(before).find((t) => t.templateId === 'tpl-followup');
    expect(followUp).toMatchObject({ openid: 'o-citizen-2', data: { character_string1: NUMBER, thing2: '事项已办结，请回复数字评价' } });
    expect((await d.app.models.Message.find({ reason: 'citizen.follow_up' }).lean())[0]).toMatchObject({ state: 'sent' });
    // Writing back reopens the window; the number answers the follow-up question.
    await d.say('o-citizen-2', '1');
    expect((await d.caseDoc(NUMBER)).followUps.map((f) => f.satisfaction)).toEqual(['satisfied']);
  });

  it('should send the template for its kind once the five messages after the citizen’s last one are spent', async () => {
    desk = await startOaDesk('oa-citizen-quota');
    const d = desk;
    await d.say('o-citizen-5', '你好');
    const before = d.fake.custom.filter((m) => m.openid === 'o-citizen-5').length;
    const now = d.clock.now();
    // Progress pushes through the dispatcher, one more than the window has left.
    await d.app.models.Message.insertMany(
      Array.from({ length: 6 - before }, (_, i) =>
        toMessage({
          _id: `quota:${i}`,
          audience: 'citizen',
          to: { channel: 'wechat', id: 'oa:o-citizen-5' },
          site: 'city',
          caseNumber: NUMBER,
          sayable: { kind: 'text', text: `进度第${before + i + 1}条` },
          reply: true,
          createdAt: new Date(now.getTime() + i),
          reason: 'citizen.classified',
        }),
      ),
    );
    await d.deliver();
    const sent = await d.app.models.Message.find({ _id: /^quota:/ }).sort({ _id: 1 }).lean();
    expect(d.fake.custom.filter((m) => m.openid === 'o-citizen-5')).toHaveLength(5);
    expect(d.fake.errors.map((e) => e.errcode)).toEqual([45047]);
    expect(sent.map((m) => m.state)).toEqual(sent.map(() => 'sent'));
    expect(sent.filter((m) => m.channelMessageId?.startsWith('template:'))).toHaveLength(1);
    expect(d.fake.templates.at(-1)).toMatchObject({ openid: 'o-citizen-5', templateId: 'tpl-progress', data: { character_string1: NUMBER } });
  });

  it('should mark the case for a phone call and tell staff when neither a message nor a template gets through', async () => {
    desk = await startOaDesk('oa-citizen-unreachable', { WECHAT_OA_TEMPLATES: '{}' });
    const d = desk;
    await report(d, 'o-citizen-3');
    await d.staff('wangfang', `${NUMBER} 分类 一般`);
    await d.staff('zhangmin', `${NUMBER} 办结 办理 窗口已补办完成`);
    d.clock.advance(3 * DAY);
    await d.staff('zhangmin', `${NUMBER} 回复`);
    const c = await d.caseDoc(NUMBER);
    expect(c.citizenUnreachable?.reason).toContain('48小时');
    const alerts = await d.app.models.Message.find({ reason: 'delivery.dead_letter', caseNumber: NUMBER }).lean();
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0].sayable).toMatchObject({ text: expect.stringContaining('请电话联系诉求人') });
  });

  it('should map the account menu clicks and keywords to the dialogue commands', async () => {
    desk = await startOaDesk('oa-citizen-menu');
    const d = desk;
    await d.push(d.fake.eventFrom('o-citizen-4', 'CLICK', 'DESK_HELP'));
    await d.push(d.fake.eventFrom('o-citizen-4', 'CLICK', 'DESK_PROGRESS'));
    const chat = chatOf(d, 'o-citizen-4');
    expect(chat).toContain('帮助');
    expect(chat.length).toBeGreaterThan(0);
    const afterClicks = d.fake.custom.length;
    await d.say('o-citizen-4', '进度');
    expect(d.fake.custom.length).toBeGreaterThan(afterClicks);
  });

  it('should register nothing for a forged push and handle a retried push once', async () => {
    desk = await startOaDesk('oa-citizen-forged');
    const d = desk;
    const forged = await d.fake.push(d.hook.url, d.fake.textFrom('o-victim', '我要投诉'), { forge: true });
    expect(forged.status).toBe(401);
    expect(d.fake.custom).toEqual([]);
    await d.push(d.fake.eventFrom('o-once', 'subscribe'));
    const once = d.fake.custom.filter((m) => m.openid === 'o-once').length;
    expect(once).toBeGreaterThan(0);
    await d.fake.pushWithRetries(d.hook.url, d.fake.eventFrom('o-retried', 'subscribe'), 3);
    await d.hook.idle();
    expect(d.fake.custom.filter((m) => m.openid === 'o-retried')).toHaveLength(once);
  });
});
