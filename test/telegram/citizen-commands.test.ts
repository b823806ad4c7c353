// What a citizen does on Telegram besides answering menus: deep links from a window's poster
// and from a case number, the commands, photos, documents and voice messages (fetched and kept
// by the desk), progress the services push into the same chat, the follow-up's rating buttons,
// files sent as documents and long texts sent whole in parts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessage } from '../../services/delivery/index.js';
import { DESK_FILE } from '../../services/attachments.js';
import type { FakeUser } from '../support/bot-api-fake/index.js';
import { type TelegramDesk, startTelegramDesk } from '../support/bot-api-fake/telegram-desk.js';

let desk: TelegramDesk;
beforeAll(async () => {
  desk = await startTelegramDesk('tg-citizen-commands');
});
afterAll(() => desk?.close());

let nextUser = 7300;
const person = (language_code = 'zh-hans') => desk.fake.user({ id: ++nextUser, first_name: '王小明', language_code });
const sent = (u: FakeUser) => desk.fake.sent(u.id);
const text = (u: FakeUser) => sent(u).map((m) => m.text ?? m.caption ?? '').join('\n---\n');
const say = async (u: FakeUser, t: string) => {
  u.send(t);
  await desk.settle();
};
/** The case number announced last in the chat. */
const numberIn = (u: FakeUser) => {
  const n = [...text(u).matchAll(/编号：([A-Z]*\d{11,14})/g)].at(-1)?.[1];
  if (!n) throw new Error(`no case number in the chat:\n${text(u)}`);
  return n;
};
/** Types a whole report from the privacy question on; `middle` runs while the account is being written. */
async function typeReport(u: FakeUser, middle: () => Promise<void> = async () => {}) {
  for (const line of ['同意', '都不涉及', '义务教育入学', '找不到部门', '孩子入学资格审核，教育局不在中心办公，找不到人，来回跑了三次。']) await say(u, line);
  await middle();
  for (const line of ['说完了', '不清楚', '王小明', '138 1234 5678', '提交']) await say(u, line);
  return numberIn(u);
}

describe('deep links and commands', () => {
  it('/start s_<site> from a window’s poster files the report at that window', async () => {
    const u = person();
    await say(u, '/start s_yushan');
    expect(text(u)).toContain('虞山街道为民服务中心');
    const number = await typeReport(u);
    expect((await desk.caseDoc(number)).site).toBe('yushan');
    expect(number.startsWith('YS')).toBe(true);
    // A plain /start afterwards goes back to the center.
    await say(u, '/start');
    for (const line of ['反映问题', '同意', '都不涉及', '公积金提取', '找不到部门', '公积金中心说要去银行，银行说要回中心。', '说完了', '不清楚', '王小明', '138 1234 5678', '提交']) await say(u, line);
    const second = numberIn(u);
    expect(second).not.toBe(number);
    expect((await desk.caseDoc(second)).site).toBe('city');
  });

  it('/start s_<unknown> says so and the report goes to the main center', async () => {
    const u = person();
    await say(u, '/start s_nowhere');
    expect(text(u)).toMatch(/服务点不存在/);
    expect((await desk.caseDoc(await typeReport(u))).site).toBe('city');
  });

  it('/start <case number> and /status <case number> show that case’s progress', async () => {
    const u = person();
    await say(u, '/new');
    const number = await typeReport(u);
    const before = sent(u).length;
    await say(u, `/start ${number}`);
    const progress = sent(u).slice(before).map((m) => m.text).join('\n');
    expect(progress).toContain('义务教育入学');
    // The same link opened in a chat that never talked to the bot (a link in a text message).
    const fresh = desk.fake.user({ id: u.id + 50_000, first_name: '王小明' });
    await say(fresh, `/start ${number}`);
    expect(text(fresh)).not.toContain('义务教育入学'); // not this chat's case: no details
    expect(text(fresh)).toMatch(/没有查到/);
    const again = sent(u).length;
    await say(u, `/status ${number}`);
    expect(sent(u).slice(again).map((m) => m.text).join('\n')).toContain('义务教育入学');
  });

  it('an edited message is answered: the recorded text stays as sent', async () => {
    const u = person();
    await say(u, '/new');
    await say(u, '同意');
    await say(u, '都不涉及');
    const m = u.send('营业执照');
    await desk.settle();
    const before = sent(u).length;
    u.edit(m, '营业执照变更');
    await desk.settle();
    expect(sent(u).slice(before).map((x) => x.text)).toEqual([expect.stringMatching(/不会改动登记的内容/)]);
  });

  it('/status alone asks which case; /help explains; /cancel drops the draft', async () => {
    const u = person();
    await say(u, '/status');
    expect(sent(u).at(-1)?.text).toMatch(/编号/);
    await say(u, '/help');
    expect(text(u)).toMatch(/帮助|怎么用|可以/);
    await say(u, '/new');
    await say(u, '同意');
    await say(u, '/cancel');
    expect(sent(u).at(-1)?.text ?? '').not.toMatch(/是否涉及/);
    expect(await desk.app.conversation.inspect({ channel: 'telegram', id: String(u.id) })).toMatchObject({ state: 'menu' });
  });
});

describe('attachments', () => {
  it('keeps photos, documents and voice messages as the desk’s own files', async () => {
    const u = person();
    await say(u, '/new');
    const photo = Buffer.from('JPEG bytes of the refusal notice');
    const pdf = Buffer.from('%PDF-1.4 the form they gave me');
    const voice = Buffer.from('OggS a voice message');
    const number = await typeReport(u, async () => {
      u.sendPhoto(photo, { caption: '窗口贴的告示' });
      await desk.settle();
      u.sendDocument(pdf, { name: '申请表.pdf', mime: 'application/pdf' });
      await desk.settle();
      u.sendVoice(voice);
      await desk.settle();
    });
    const c = await desk.caseDoc(number);
    expect(c.attachments.map((a) => a.kind)).toEqual(['photo', 'file', 'file']);
    expect(c.attachments.map((a) => a.mime)).toEqual(['image/jpeg', 'application/pdf', 'audio/ogg']);
    expect(c.attachments[1].name).toBe('申请表.pdf');
    // Each is the desk's copy (Telegram's links expire), fetched with getFile and downloaded.
    for (const [a, bytes] of c.attachments.map((x, i) => [x, [photo, pdf, voice][i]] as const)) {
      expect(a.ref.startsWith(DESK_FILE)).toBe(true);
      expect(readFileSync(join(desk.filesDir, a.ref.slice(DESK_FILE.length))).equals(bytes)).toBe(true);
    }
    expect(readdirSync(desk.filesDir).length).toBeGreaterThanOrEqual(3);
    expect(desk.fake.calls.filter((x) => x.method === 'getFile').length).toBeGreaterThanOrEqual(3);
    // The caption counted as part of the account.
    expect(c.account).toContain('窗口贴的告示');
  });
});

describe('attachments too big for the Bot API', () => {
  it('keeps a file over 20 MB as its Telegram file id', async () => {
    const u = person();
    await say(u, '/new');
    const big = Buffer.alloc(21 * 1024 * 1024, 1);
    const number = await typeReport(u, async () => {
      u.sendDocument(big, { name: '录像.mp4', mime: 'video/mp4' });
      await desk.settle();
    });
    const [a] = (await desk.caseDoc(number)).attachments;
    expect(a.ref).toMatch(/^telegram-file:BQAC/);
    expect(desk.fake.file(a.ref.slice('telegram-file:'.length))?.bytes.length).toBe(big.length);
  });
});

describe('what the desk pushes', () => {
  it('progress arrives in the same chat, and the follow-up’s rating buttons record the rating', async () => {
    const u = person();
    await say(u, '/new');
    const number = await typeReport(u);
    await desk.handleToResult(number);
    await desk.deliver({ chat: u.id });
    const toCitizen = await desk.app.models.Message.find({ 'to.channel': 'telegram', 'to.id': String(u.id) }).lean();
    expect(toCitizen.map((m) => m.reason)).toEqual(expect.arrayContaining(['citizen.result', 'citizen.follow_up']));
    expect(toCitizen.filter((m) => m.state !== 'sent').map((m) => `${m.reason} ${m.state} ${m.lastError}`)).toEqual([]);
    expect(text(u)).toContain('办理结果');
    const question = sent(u).find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.callback_data?.startsWith(`fu:${number}:`)));
    expect(question, text(u)).toBeDefined();
    const q = u.pressData(question!, `fu:${number}:satisfied`);
    await desk.settle();
    expect(desk.fake.callbacks.get(q)?.answer).toBeDefined();
    expect((await desk.caseDoc(number)).followUps.map((f) => f.satisfaction)).toEqual(['satisfied']);
    // The question now shows the answer and cannot be pressed again.
    expect(sent(u).find((m) => m.message_id === question!.message_id)?.reply_markup).toBeUndefined();
  });

  it('sends a file as a document and a long text whole, in parts under 4096 characters', async () => {
    const u = person();
    await say(u, '/start');
    const now = desk.clock.now();
    const form = Buffer.from('%PDF-1.4 不予受理通知书');
    const long = Array.from({ length: 300 }, (_, i) => `第${i + 1}条：窗口于某日答复，<依据> & 说明 ${'详'.repeat(20)}`).join('\n');
    const base = { audience: 'citizen' as const, to: { channel: 'telegram' as const, id: String(u.id) }, site: 'city', reply: true, reason: 'test.push' };
    await desk.app.models.Message.insertMany([
      toMessage({ ...base, _id: `t-file-${u.id}`, sayable: { kind: 'file', name: '不予受理通知书.pdf', mime: 'application/pdf', base64: form.toString('base64'), caption: '请查收 <通知书>' }, createdAt: now }),
      toMessage({ ...base, _id: `t-long-${u.id}`, sayable: { kind: 'text', text: long }, createdAt: new Date(now.getTime() + 1) }),
    ]);
    const before = sent(u).length;
    await desk.deliver({ chat: u.id });
    const pushed = sent(u).slice(before);
    const doc = pushed.find((m) => m.document);
    expect(doc?.document?.file_name).toBe('不予受理通知书.pdf');
    expect(doc?.caption).toBe('请查收 <通知书>');
    expect(desk.fake.file(doc!.document!.file_id)?.bytes.equals(form)).toBe(true);
    const parts = pushed.filter((m) => m.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text!.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n')).toBe(long);
  });
});
