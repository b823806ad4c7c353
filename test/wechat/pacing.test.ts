// Outgoing WeChat messages are paced by the delivery layer, not by the channel: a room's
// messages are spaced under WeChat's pace, and the Official Account and the Wechaty account are
// separate lines, so the Official Account out of its daily quota does not hold up the staff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalBucket, postStaffNotice, toMessage } from '../../services/delivery/index.js';
import { ROOM_ID, type WechatDesk, startWechatDesk } from './wechat-desk.js';

let d: WechatDesk;
beforeAll(async () => {
  d = await startWechatDesk('wechat-pacing');
  await d.deliver(); // the start-up notices
}, 60_000);
afterAll(() => d?.close());

const notice = (key: string, text: string) => postStaffNotice(d.app, { site: 'city', key, text, reason: 'notice.pacing', now: d.clock.now() });

describe('WeChat pacing in the delivery layer', () => {
  it('should space two messages to the staff room at least three seconds apart (20 a minute), both delivered', async () => {
    await notice('a', '【系统提示】第一条');
    await notice('b', '【系统提示】第二条');
    await d.deliver();
    const sent = await d.app.models.Message.find({ reason: 'notice.pacing', 'to.id': ROOM_ID }).sort({ sentAt: 1 }).lean();
    expect(sent.map((m) => m.state)).toEqual(['sent', 'sent']);
    expect(sent[1].sentAt!.getTime() - sent[0].sentAt!.getTime()).toBeGreaterThanOrEqual(3_000);
    expect(d.heard('room')).toEqual(expect.arrayContaining(['【系统提示】第一条', '【系统提示】第二条']));
  });

  it('should keep sending to staff while the Official Account is held back, and hold the citizen’s message without spending an attempt', async () => {
    // The account's own bucket (one a second) refills after the room's messages above.
    await new Promise((r) => setTimeout(r, 1_100));
    d.clock.advance(1_100);
    // As after errcode 45009 (the account's daily quota): every dispatcher holds the Official Account line.
    await d.app.coordination.block(globalBucket('wechat-oa'), 60_000);
    const now = d.clock.now();
    await d.app.models.Message.insertMany([
      toMessage({ _id: 'pacing:citizen', audience: 'citizen', to: { channel: 'wechat', id: 'oa:o-held' }, site: 'city', sayable: { kind: 'text', text: '进度通知' }, reply: true, createdAt: now, reason: 'citizen.classified' }),
      toMessage({ _id: 'pacing:liaison', audience: 'unit', to: { channel: 'wechat', id: 'wx-wuhao' }, site: 'city', sayable: { kind: 'text', text: '转办单提醒' }, createdAt: now, reason: 'reminder.unit_reply' }),
    ]);
    await d.app.dispatcher.dispatchOnce();
    await d.app.dispatcher.dispatchOnce();
    expect(await d.app.models.Message.findById('pacing:liaison').lean()).toMatchObject({ state: 'sent' });
    expect(d.heard(d.person('wx-wuhao'))).toContain('转办单提醒');
    expect(await d.app.models.Message.findById('pacing:citizen').lean()).toMatchObject({ state: 'pending', attempts: 0 });
    expect(d.fake.custom.filter((m) => m.openid === 'o-held')).toEqual([]);
  });
});
