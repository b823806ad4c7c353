// Deadlines across holiday boundaries (checked against the State Council schedules), off-hours
// acceptance, provisional years, and the reporter-privacy rule over every output a unit can see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '../../models/case.js';
import type { IntakeInput } from '../../services/cases/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('deadlines_privacy');
});
afterAll(() => desk?.close());

const NAME = '赵小燕';
const PHONE = '13698765432';
const input = (over: Partial<IntakeInput> = {}): IntakeInput => ({
  site: 'city',
  channel: 'telegram',
  reporter: { name: NAME, phone: PHONE, identity: { channel: 'telegram', id: '777' } },
  matter: '居住证明',
  account: `我叫${NAME}，电话${PHONE}，社区说不归他们开，街道说找社区。`,
  ...over,
});
async function register(over: Partial<IntakeInput> = {}) {
  const r = await desk.app.cases.register(input(over), desk.citizen('777'));
  if (!r.registered) throw new Error('not registered');
  return r;
}
const iso = (d: Date | undefined) => d?.toISOString();

describe('working-day deadlines', () => {
  it('a transfer on 2026-09-30 is due on the make-up Saturday 2026-10-10 after National Day', async () => {
    desk.clock.set('2026-09-30T10:00:00+08:00');
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('liqiang')); // Wednesday's duty officer
    const t = await desk.app.cases.transfer(number, { unit: 'yushan-st' }, await desk.staff('liuyang'));
    // 10-01..10-07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班) are the three working days.
    expect(iso(t.case.transfers[0].replyDueAt)).toBe('2026-10-10T09:00:00.000Z');
    expect(t.case.transfers[0].replyDueProvisional).toBe(false);
  });

  it('a transfer on 2026-02-13 lands after the Spring Festival week, counting the make-up days', async () => {
    desk.clock.set('2026-02-13T11:00:00+08:00'); // Friday
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('liqiang'));
    const t = await desk.app.cases.transfer(number, { unit: 'haiyu' }, await desk.staff('liuyang'));
    // 02-14 Sat is a make-up working day, 02-15..02-23 off, 02-24 Tue, 02-25 Wed.
    expect(iso(t.case.transfers[0].replyDueAt)).toBe('2026-02-25T09:00:00.000Z');
  });

  it('a report on a holiday night is accepted at the next opening, and the first feedback is due that day', async () => {
    desk.clock.set('2026-10-03T22:30:00+08:00');
    const r = await register();
    expect(r.deferred).toBe(true);
    expect(iso(r.acceptedAt)).toBe('2026-10-08T01:00:00.000Z'); // 10-08 09:00 Shanghai
    expect(iso(r.firstFeedbackBy)).toBe('2026-10-08T09:00:00.000Z'); // same day 17:00
    expect(r.case.timeline[0].publicText).toContain('2026年10月8日');
    // The number carries the day the report arrived, not the day it was accepted.
    expect(r.number.startsWith('20261003')).toBe(true);
  });

  it('a late-December transfer reaching into 2027 is provisional and shown so to staff', async () => {
    desk.clock.set('2026-12-30T10:00:00+08:00');
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('liqiang'));
    const t = await desk.app.cases.transfer(number, { unit: 'haiyu' }, await desk.staff('liuyang'));
    expect(t.case.transfers[0].replyDueProvisional).toBe(true);
    expect(t.case.outbox.find((m) => m.reason === 'case.transferred')?.sayable).toMatchObject({ text: expect.stringContaining('暂定') });
    const view = await desk.app.cases.view((await desk.staff('zhangmin')).staff, number);
    const unitReply = view.deadlines.find((d) => d.kind === 'unitReply');
    expect(unitReply?.provisional).toBe(true);
    expect(unitReply?.note).toContain('2027');
  });

  it('a transfer on 2026-12-31 is due 2027-01-06: 元旦 is off before the 2027 notice exists', async () => {
    desk.clock.set('2026-12-31T10:00:00+08:00');
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('liqiang'));
    const t = await desk.app.cases.transfer(number, { unit: 'haiyu' }, await desk.staff('liuyang'));
    // 01-01 statutory, 01-02/03 weekend; 01-04, 01-05, 01-06 are the three working days.
    expect(iso(t.case.transfers[0].replyDueAt)).toBe('2027-01-06T09:00:00.000Z');
    expect(t.case.transfers[0].replyDueProvisional).toBe(true); // the 调休 of 2027 is not known
  });

  it('a report at 2026-12-31 17:01 is accepted at the next opening, 2027-01-04 09:00, not on 元旦', async () => {
    desk.clock.set('2026-12-31T17:01:00+08:00');
    const r = await register();
    expect(r.deferred).toBe(true);
    expect(iso(r.acceptedAt)).toBe('2027-01-04T01:00:00.000Z');
    expect(r.case.timeline[0].publicText).toContain('2027年1月4日');
  });

  it('shows an overdue case as overdue in listings with working days and hours', async () => {
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('wangfang'));
    await desk.app.cases.transfer(number, { unit: 'zjj' }, await desk.staff('liuyang'));
    // Due Friday 11-27 17:00; now Tuesday 12-01 11:00 → Mon + Tue 2h of office time late.
    desk.clock.set('2026-12-01T11:00:00+08:00');
    const page = await desk.app.cases.list((await desk.staff('zhangmin')).staff, { scope: 'overdue' });
    const row = page.items.find((r) => r.number === number);
    expect(row?.overdue.map((o) => o.kind)).toContain('unitReply');
    expect(row?.overdue.find((o) => o.kind === 'unitReply')?.by).toEqual({ days: 1, hours: 2 });
  });
});

describe('reporter privacy', () => {
  function mentionsIdentity(s: string) {
    return s.includes(PHONE) || s.includes(NAME) || s.includes(PHONE.slice(3, 7));
  }
  const texts = (doc: CaseDoc, pred: (m: CaseDoc['outbox'][number]) => boolean) =>
    doc.outbox.filter(pred).map((m) => JSON.stringify(m.sayable));

  it('the unit complained about never sees who reported, in any message, view or listing', async () => {
    desk.clock.set('2026-11-24T10:00:00+08:00');
    // The citizen complains about 市住房和城乡建设局 and the matter is transferred to it.
    const { number } = await register({ involvedUnit: 'zjj' });
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('wangfang'));
    await desk.app.cases.transfer(number, { unit: 'zjj' }, await desk.staff('liuyang'));
    const liaison = await desk.staff('jiangtao');
    await desk.app.cases.unitReply(number, { text: `已核实，${NAME}反映的问题已整改，已回电${PHONE}`, eligible: true }, liaison);
    const doc = await desk.caseDoc(number);
    const toUnit = texts(doc, (m) => m.audience === 'unit');
    expect(toUnit.length).toBeGreaterThan(0);
    for (const t of toUnit) expect(mentionsIdentity(t), t).toBe(false);
    expect(toUnit[0]).toContain('按规定不向被反映单位提供');
    const view = await desk.app.cases.view(liaison.staff, number);
    expect(view.reporter).toEqual({ visibility: 'hidden' });
    expect(mentionsIdentity(JSON.stringify(view))).toBe(false);
    const list = await desk.app.cases.list(liaison.staff, { scope: 'all' });
    const row = list.items.find((r) => r.number === number);
    expect(row?.reporter).toEqual({ visibility: 'hidden' });
    expect(mentionsIdentity(JSON.stringify(row))).toBe(false);
    // The slip's reply text was cleaned before it was stored, so no later export can leak it.
    expect(mentionsIdentity(doc.transfers[0].reply?.text ?? '')).toBe(false);
  });

  it('a unit that must contact the citizen (and is not complained about) sees name and phone', async () => {
    const { number } = await register({ involvedUnit: 'zjj' });
    // Staff settle which units the case is about at classification: only then may another unit identify.
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, ['zjj']);
    await desk.app.cases.transfer(number, { unit: 'yushan-st' }, await desk.staff('liuyang'));
    const slip = (await desk.caseDoc(number)).outbox.find((m) => m.reason === 'unit.transfer_slip');
    expect(JSON.stringify(slip?.sayable)).toContain(PHONE);
    const view = await desk.app.cases.view((await desk.staff('zhengwei')).staff, number);
    expect(view.reporter).toEqual({ visibility: 'full', name: NAME, phone: PHONE });
  });

  it('irregular service: the window complained about is hidden from the reporter even for its own staff', async () => {
    const { number } = await register({ involvedUnit: 'bdc' });
    await desk.app.cases.classify(number, 'IRREGULAR_SERVICE', await desk.staff('wangfang'));
    const doc = await desk.caseDoc(number);
    // Staff rooms never carry identity (anyone from a stationed window may sit in them).
    for (const t of texts(doc, (m) => m.audience === 'staff')) expect(mentionsIdentity(t), t).toBe(false);
    await expect(desk.app.cases.view((await desk.staff('qianjin')).staff, number)).rejects.toThrow(/没有转办给您所在的单位/);
  });

  it('staff see masked phones; revealing the full identity is allowed by role and audited', async () => {
    const { number } = await register();
    const clerk = (await desk.staff('zhangmin')).staff;
    const masked = await desk.app.cases.view(clerk, number);
    expect(masked.reporter).toEqual({ visibility: 'masked', name: '赵**', phone: '136****5432' });
    expect(masked.account).not.toContain(PHONE);
    const full = await desk.app.cases.view(clerk, number, { reveal: true });
    expect(full.reporter).toEqual({ visibility: 'full', name: NAME, phone: PHONE });
    const audit = await desk.app.models.Audit.find({ caseNumber: number, action: 'VIEW_FULL_IDENTITY' }).lean();
    expect(audit.map((a) => a.actor.id)).toEqual(['zhangmin']);
    await expect(desk.app.cases.view((await desk.staff('liuyang')).staff, number, { reveal: true })).rejects.toThrow(/无权查看反映人完整身份/);
  });

  it('staff can name the unit complained about at triage; from then on it sees no identity', async () => {
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const { number } = await register();
    const duty = await desk.staff('wangfang');
    const r = await desk.app.staffCommand(duty.staff, `#${number} 涉及 住房`);
    expect(r[0]).toMatchObject({ text: expect.stringContaining('涉及 市住房和城乡建设局') });
    await desk.app.cases.classify(number, 'NOT_STATIONED', duty);
    await desk.app.cases.transfer(number, { unit: 'zjj' }, await desk.staff('liuyang'));
    const slip = (await desk.caseDoc(number)).outbox.find((m) => m.reason === 'unit.transfer_slip');
    expect(mentionsIdentity(JSON.stringify(slip?.sayable))).toBe(false);
    expect(JSON.stringify(slip?.sayable)).toContain('不提供诉求人姓名和联系方式');
  });

  it('涉及 after the slip has gone repairs: the unit sees nothing more, and supervision is told what already went', async () => {
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, 'none');
    await desk.app.cases.transfer(number, { unit: 'haiyu' }, await desk.staff('liuyang'));
    const hanmei = (await desk.staff('hanmei')).staff;
    expect((await desk.app.cases.view(hanmei, number)).reporter.visibility).toBe('full');
    const r = await desk.app.cases.addInvolvedUnits(number, ['haiyu'], await desk.staff('wangfang'));
    expect(r.case.involvedUnits).toEqual(['haiyu']);
    expect(r.case.timeline.map((t) => t.text).join('\n')).toMatch(/海虞镇为民服务中心 在登记为被反映单位前已收到载有反映人信息的转办单/);
    expect(r.case.outbox.some((m) => m.reason === 'case.involved_late' && m.to.id === 'chenjing')).toBe(true);
    expect((await desk.app.cases.view(hanmei, number)).reporter).toEqual({ visibility: 'hidden' });
  });

  it('staff-room and role messages never quote the reporter, even when the typed text does', async () => {
    desk.clock.set('2026-11-24T10:00:00+08:00');
    const { number } = await register({ matter: `${NAME} ${PHONE} 居住证明`, agitated: true });
    const duty = await desk.staff('wangfang');
    await desk.app.cases.calmed(number, `已安抚${NAME}`, await desk.staff('chenjing'));
    await desk.app.cases.classify(number, 'GENERAL', duty);
    const clerk = await desk.staff('zhangmin');
    await desk.app.cases.resolve(number, { outcome: 'handled', text: `已回电 138 1234 5678 告知${NAME}` }, clerk);
    await desk.app.cases.reply(number, '已办结', clerk);
    await desk.app.cases.followUp(number, { satisfaction: 'dissatisfied', comment: `请打我电话${PHONE}` }, clerk);
    const doc = await desk.caseDoc(number);
    const staffSide = texts(doc, (m) => m.audience !== 'citizen');
    expect(staffSide.length).toBeGreaterThan(5);
    for (const t of staffSide) {
      expect(mentionsIdentity(t), t).toBe(false);
      expect(t, t).not.toContain('12345678');
    }
  });

  it('a case that arrives at night reaches the room at once and the duty officer at opening', async () => {
    desk.clock.set('2026-11-24T22:00:00+08:00');
    const r = await register();
    const dm = r.case.outbox.find((m) => m.reason === 'case.duty_officer');
    expect(dm?.notBefore?.toISOString()).toBe('2026-11-25T01:00:00.000Z'); // Wednesday 09:00
    expect(dm?.to.id).toBe('liqiang'); // Wednesday's officer, not Tuesday's
    expect(r.case.outbox.find((m) => m.reason === 'case.registered')?.notBefore).toBeUndefined();
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });

  it('answers shown in a staff room carry no identity, and 身份 is refused there', async () => {
    const { number } = await register();
    const clerk = (await desk.staff('zhangmin')).staff;
    const inRoom = await desk.app.cases.view(clerk, number, { inRoom: true });
    expect(inRoom.reporter).toEqual({ visibility: 'hidden' });
    expect(mentionsIdentity(JSON.stringify(inRoom))).toBe(false);
    await expect(desk.app.cases.view(clerk, number, { reveal: true, inRoom: true })).rejects.toThrow(/私聊/);
    const list = await desk.app.cases.list(clerk, { scope: 'all', inRoom: true, pageSize: 100 });
    expect(mentionsIdentity(JSON.stringify(list))).toBe(false);
  });

  it('accepts a 200-character matter made of emoji (the store limit counts UTF-16 units)', async () => {
    const r = await register({ matter: '😡'.repeat(200) });
    expect(Array.from(r.case.matter)).toHaveLength(200);
  });

  it('logs never carry the reporter’s name or phone', () => {
    const all = desk.logs.join('');
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain(NAME);
  });
});
