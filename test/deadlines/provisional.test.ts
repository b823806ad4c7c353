// A date counted through a year whose 调休 is not published yet may move: staff and citizens are
// told so, and each deadline is judged over its own span, not by whether acceptance was exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeInput } from '../../services/cases/index.js';
import { submissionTimeline } from '../../services/conversation/timeline.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('provisional', { now: '2026-12-31T16:30:00+08:00' });
});
afterAll(() => desk?.close());

const PROVISIONAL = '暂定，以节假日安排公布后为准';
const report = (): IntakeInput => ({
  site: 'city',
  channel: 'telegram',
  reporter: { name: '王小明', phone: '13812345678', identity: { channel: 'telegram', id: '9001' } },
  matter: '义务教育入学',
  account: '孩子入学资格审核，教育局不在中心办公，找不到人。',
});

describe('provisional deadlines', () => {
  it('flags a classify deadline that falls in 2027 although acceptance on 2026-12-31 is exact', async () => {
    desk.clock.set('2026-12-31T16:30:00+08:00');
    const r = await desk.app.cases.register(report(), desk.citizen('9001'));
    if (!r.registered) throw new Error('not registered');
    expect(r.deferred).toBe(false);
    const d = r.case.deadlines;
    expect(d.firstFeedback?.provisional).toBe(false); // 12-31 17:00
    expect(d.classify?.at.getTime()).toBeGreaterThan(new Date('2027-01-01T00:00:00+08:00').getTime());
    expect(d.classify?.provisional).toBe(true);
    expect(d.followUp?.provisional).toBe(true);
  });

  it('tells the citizen a transfer deadline in 2027 is provisional', async () => {
    desk.clock.set('2026-12-31T10:00:00+08:00');
    const r = await desk.app.cases.register(report(), desk.citizen('9001'));
    if (!r.registered) throw new Error('not registered');
    await desk.app.cases.classify(r.number, 'NOT_STATIONED', await desk.staff('liqiang'));
    await desk.app.cases.transfer(r.number, { unit: 'jyj' }, await desk.staff('liuyang'));
    const toCitizen = (await desk.outbox(r.number)).find((m) => m.reason === 'citizen.transferred');
    const text = toCitizen?.sayable.kind === 'text' ? toCitizen.sayable.text : '';
    expect(text).toContain('2027年1月6日');
    expect(text).toContain(PROVISIONAL);
    const progress = await desk.app.cases.progress({ channel: 'telegram', id: '9001' }, r.number);
    expect(progress?.lines.some((l) => l.includes(PROVISIONAL))).toBe(true);
  });

  it('says so in the dates given on submission, and not for exact ones', () => {
    const cal = desk.app.calendar;
    const late = cal.acceptanceStart(new Date('2026-12-31T18:00:00+08:00'));
    const t = submissionTimeline(cal, { acceptedAt: late.at, firstFeedbackBy: cal.sameDayClose(late.at), deferred: true, case: { receivedAt: new Date('2026-12-31T18:00:00+08:00') } }, 'zh');
    expect(t.deferredAcceptance).toContain(PROVISIONAL);
    expect(t.firstFeedbackBy).toContain(PROVISIONAL);
    const exact = submissionTimeline(cal, { acceptedAt: new Date('2026-11-24T10:00:00+08:00'), firstFeedbackBy: new Date('2026-11-24T17:00:00+08:00'), deferred: false }, 'zh');
    expect(exact.firstFeedbackBy).not.toContain('暂定');
  });
});
