// The staff group with topics, end to end over HTTP: a citizen's report opens a topic with its
// case card; staff act by the card's buttons and by typed commands in the topic; plain messages
// reach the citizen; strangers and forged buttons change nothing; the liaison works in private.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_GROUP, type StaffDesk, TG, startStaffDesk } from './staff-harness.js';

const CITIZEN = 9001;
const STRANGER = 8001;
let d: StaffDesk;
let n: string;

beforeAll(async () => {
  d = await startStaffDesk('tg_staff_group');
  n = await d.report(CITIZEN, '义务教育入学', '4', '孩子入学资格审核，教育局不在中心办公，找不到人，来回跑了三次。我的电话13812345678');
}, 60_000);
afterAll(() => d?.close());

const texts = (ms: { text?: string }[]) => ms.map((m) => m.text ?? '').join('\n---\n');

describe('Telegram staff group with topics', { timeout: 60_000 }, () => {
  it('should open one topic per case, named with its number and matter, starting with the case card', async () => {
    const topics = d.fake.topics(STAFF_GROUP);
    expect(topics.map((t) => t.name)).toEqual([`${n} 义务教育入学`]);
    const posted = await d.inTopic(n);
    expect(posted[0].message_id).toBe((await d.card(n)).message_id);
    const card = await d.card(n);
    expect(card.text).toContain(`【事项 ${n}】已受理，待分类`);
    expect(card.text).toContain('建议：未进驻情形');
    expect(card.text).toContain('渠道：Telegram');
    expect(card.text).toMatch(/时限：/);
    expect(texts(d.fake.sent(STAFF_GROUP))).not.toMatch(/王小明|1381234|5678/);
    expect(card.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('分类：未进驻情形');
  });

  it('should refuse someone not in the directory, by button and by command, and change nothing', async () => {
    const card = await d.card(n);
    const q = await d.press(STRANGER, card, '分类：一般性情形');
    expect(d.fake.callbacks.get(q)?.answer).toMatchObject({ show_alert: true });
    expect(d.fake.callbacks.get(q)?.answer?.text).toContain('不在工作人员名单');
    const t = await d.topic(n);
    await d.say(STRANGER, '#分类 一般', { chat: STAFF_GROUP, thread: t.threadId });
    await d.say(STRANGER, '我也来说两句', { chat: STAFF_GROUP, thread: t.threadId });
    expect((await d.inTopic(n)).filter((m) => m.text?.includes('不在本中心工作人员名单'))).toHaveLength(1);
    expect((await d.caseDoc(n)).status).toBe('registered');
    expect(d.fake.sent(CITIZEN).some((m) => m.text?.includes('我也来说两句'))).toBe(false);
  });

  it('should refuse a callback the bot did not sign, even from staff', async () => {
    const card = await d.card(n);
    const q = await d.pressData('wangfang', card, `AAAAAAAAAA:#${n} 分类 一般`);
    expect(d.fake.callbacks.get(q)?.answer).toMatchObject({ show_alert: true });
    expect(d.fake.callbacks.get(q)?.answer?.text).toContain('无效');
    const raw = await d.pressData('wangfang', card, `#${n} 分类 一般`);
    expect(d.fake.callbacks.get(raw)?.answer?.show_alert).toBe(true);
    expect((await d.caseDoc(n)).status).toBe('registered');
  });

  it('should classify by the card button and edit the card in place', async () => {
    const before = (await d.card(n)).history.length;
    const q = await d.press('wangfang', await d.card(n), '分类：未进驻情形');
    expect(d.fake.callbacks.get(q)?.answer?.show_alert).toBeFalsy();
    const doc = await d.caseDoc(n);
    expect([doc.status, doc.category]).toEqual(['handling', 'NOT_STATIONED']);
    const card = await d.card(n);
    expect(card.history.length).toBeGreaterThan(before);
    expect(card.text).toContain('类别：未进驻情形');
    expect(card.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('转办：市教育局');
    expect(texts(await d.inTopic(n))).toContain('分类为“未进驻情形”');
  });

  it('should settle 被反映单位, preview the slip in the topic and send it by button, to the liaison in private with buttons', async () => {
    await d.press('wangfang', await d.card(n), '被反映单位：无');
    expect((await d.caseDoc(n)).unitsSettled).toBeTruthy();
    expect((await d.card(n)).text).toContain('被反映单位：无（已确认）');
    const preview = await d.transfer('liuyang', n, '转办：市教育局');
    // The preview in the group names nobody, though the unit itself will see the contact.
    expect(preview).not.toMatch(/王小明|1381234|5678/);
    expect((await d.caseDoc(n)).status).toBe('transferred');
    const slip = d.fake.sent(TG.wuhao).find((m) => m.text?.includes('反映事项转办单'));
    expect(slip?.text).toContain(n);
    expect(slip?.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['签收', '答复办理结果', '答复：不符合办理条件']);
    expect((await d.card(n)).text).toMatch(/转办：.*→ 市教育局（待签收/);
  });

  it('should relay a plain message in the topic to the citizen as the window’s reply, and keep // as a note', async () => {
    const t = await d.topic(n);
    await d.say('zhangmin', '您好，已联系市教育局，会尽快与您联系。', { chat: STAFF_GROUP, thread: t.threadId });
    expect(d.fake.sent(CITIZEN).at(-1)?.text).toContain('您好，已联系市教育局，会尽快与您联系。');
    const doc = await d.caseDoc(n);
    expect(doc.replies.at(-1)?.text).toBe('您好，已联系市教育局，会尽快与您联系。');
    await d.say('zhangmin', '/help@banbucheng_test_bot', { chat: STAFF_GROUP, thread: t.threadId });
    expect(texts(d.fake.sent(CITIZEN))).not.toContain('/help');
    await d.say('zhangmin', '//内部：家长情绪稳定，明天再回访', { chat: STAFF_GROUP, thread: t.threadId });
    expect((await d.caseDoc(n)).handling.at(-1)).toMatchObject({ kind: 'note', text: '内部：家长情绪稳定，明天再回访' });
    expect(texts(d.fake.sent(CITIZEN))).not.toContain('家长情绪稳定');
  });

  it('should let the liaison sign and answer in private, and bring the answer to the topic', async () => {
    const slip = d.fake.sent(TG.wuhao).find((m) => m.text?.includes('反映事项转办单'))!;
    // A press the bot did not sign is answered and changes nothing.
    const forged = await d.pressData('wuhao', slip, `AAAAAAAAAA:ack:${n}`);
    expect(d.fake.callbacks.get(forged)?.answer).toBeDefined();
    expect((await d.caseDoc(n)).transfers[0].state).toBe('issued');
    await d.press('wuhao', slip, '签收');
    expect((await d.caseDoc(n)).transfers[0].state).toBe('acknowledged');
    await d.press('wuhao', d.fake.sent(TG.wuhao).find((m) => m.message_id === slip.message_id)!, '答复办理结果');
    expect(d.fake.sent(TG.wuhao).at(-1)?.text).toContain('处理及回复情况');
    await d.say('wuhao', '已电话联系家长，补录入学信息，资格审核通过。');
    const doc = await d.caseDoc(n);
    expect(doc.transfers[0].reply?.text).toContain('资格审核通过');
    expect(doc.status).toBe('handling');
    expect(texts(await d.inTopic(n))).toMatch(/市教育局 已答复[\s\S]*资格审核通过/);
    // Pressing 答复 on a slip already answered: the attempt is refused, and the next text is not taken as an answer.
    await d.press('wuhao', d.fake.sent(TG.wuhao).find((m) => m.message_id === slip.message_id)!, '答复办理结果');
    await d.say('wuhao', '再补充一句：家长已确认收到通知。');
    expect(d.fake.sent(TG.wuhao).at(-1)?.text).toMatch(/^⚠️ .*不能执行“承办单位回复”/);
    await d.say('wuhao', '谢谢');
    expect(d.fake.sent(TG.wuhao).at(-1)?.text).toContain('#编号 签收');
  });

  it('should take typed commands in the topic without #编号 and close the topic on archive', async () => {
    const t = await d.topic(n);
    await d.say('zhangmin', '#办结 单位已处办 教育局已处理，资格审核通过', { chat: STAFF_GROUP, thread: t.threadId });
    expect((await d.caseDoc(n)).status).toBe('resolved');
    // Showing the case in the group: by the card's button, and by a bare # in the topic; never the identity.
    await d.press('wangfang', await d.card(n), '查看详情');
    const view = d.fake.sent(STAFF_GROUP, t.threadId).at(-1)?.text ?? '';
    expect(view).toContain(n);
    expect(view).toContain('已办结');
    await d.say('wangfang', '#', { chat: STAFF_GROUP, thread: t.threadId });
    expect(d.fake.sent(STAFF_GROUP, t.threadId).at(-1)?.text).toContain(n);
    expect(texts(d.fake.sent(STAFF_GROUP, t.threadId))).not.toMatch(/王小明|1381234|5678/);
    await d.press('zhangmin', await d.card(n), '向诉求人反馈办理结果');
    expect((await d.caseDoc(n)).status).toBe('replied');
    const ask = d.fake.sent(CITIZEN).find((m) => m.text?.includes('是否满意'))!;
    await d.press(CITIZEN, ask, '满意');
    expect((await d.caseDoc(n)).status).toBe('verified');
    await d.say('zhangmin', '#备案', { chat: STAFF_GROUP, thread: t.threadId });
    expect((await d.caseDoc(n)).status).toBe('archived');
    expect(d.fake.topics(STAFF_GROUP)[0].closed).toBe(true);
    const card = await d.card(n);
    expect(card.text).toContain('已备案');
    expect(card.reply_markup?.inline_keyboard.flat() ?? []).toEqual([]);
  });

  it('should answer the console’s desk commands in the group', async () => {
    await d.say('wangfang', '#值班', { chat: STAFF_GROUP });
    expect(d.fake.sent(STAFF_GROUP).at(-1)?.text).toContain('王芳');
    await d.say('wangfang', '#列表 全部', { chat: STAFF_GROUP });
    expect(d.fake.sent(STAFF_GROUP).at(-1)?.text).toContain(n);
    // By unit: the cases transferred to 市教育局 (this one), not the others.
    await d.say('wangfang', '#列表 全部 单位 市教育局', { chat: STAFF_GROUP });
    expect(d.fake.sent(STAFF_GROUP).at(-1)?.text).toMatch(new RegExp(`全部事项（市教育局）[\\s\\S]*${n}`));
    await d.say('wangfang', '#列表 全部 单位 bdc', { chat: STAFF_GROUP });
    expect(d.fake.sent(STAFF_GROUP).at(-1)?.text).not.toContain(n);
    await d.say('wangfang', '#超期', { chat: STAFF_GROUP });
    await d.say('wangfang', '#我的', { chat: STAFF_GROUP });
    expect(d.fake.sent(STAFF_GROUP).at(-1)?.text).toContain('我的在办事项');
    await d.say('wangfang', '#统计', { chat: STAFF_GROUP });
    expect(d.fake.sent(STAFF_GROUP).at(-1)?.text).toMatch(/统计|合计|共/);
    expect(texts(d.fake.sent(STAFF_GROUP))).not.toMatch(/王小明|1381234/);
  });
});

describe('what the citizen adds after submitting', { timeout: 60_000 }, () => {
  it('should show the citizen’s text and photo in the case’s topic', async () => {
    const c = 9011;
    const m = await d.report(c, '不动产权证补证', '1', '补证要求的材料网上和窗口说法不一样。');
    const photo = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes of the receipt', 'latin1');
    await d.photo(c, photo, { caption: '这是窗口给我的回执' });
    const shown = await d.inTopic(m);
    expect(shown.map((x) => x.text ?? '').join('\n')).toContain('这是窗口给我的回执');
    // One post for the photo, however many notices mention the supplement.
    expect(shown.filter((x) => x.photo)).toHaveLength(1);
    const file = shown.find((x) => x.photo);
    expect(file?.caption).toContain(`附件 1/1】事项 ${m}`);
    expect(d.fake.file(file!.photo!.at(-1)!.file_id)?.bytes.equals(photo)).toBe(true);
  });
});
