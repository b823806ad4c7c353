// The sweeper across the 2026 National Day week (holiday 1–7 Oct, make-up working day Saturday
// 10 Oct), on a hand-moved clock, with two sweepers overlapping on every pass.
import { Types } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDoc, TransferSlip } from '../../models/case.js';
import type { OutboxEntry } from '../../models/message.js';
import { ManualClock } from '../../services/clock.js';
import { type Coordination, createMemoryCoordination } from '../../services/coordination/index.js';
import { createSweeper, formatOverdueZh, overdueOf } from '../../services/deadlines/index.js';
import { caseDoc, type Harness, startHarness } from '../delivery/harness.js';

let h: Harness;
let coord: Coordination;
let clock: ManualClock;
const sh = (s: string) => new Date(`${s}+08:00`);
/** '2026-10-08 09:00' on the Shanghai clock. */
const local = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  h = await startHarness('sweeper');
  coord = await h.coordination();
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.models.Case.deleteMany({});
  clock = new ManualClock('2026-09-29T09:00:00+08:00');
});

function slip(unit: string, transferredAt: Date): TransferSlip {
  return {
    _id: new Types.ObjectId(),
    number: `S-${unit}`,
    unit,
    via: 'coordination',
    requestType: '办事咨询',
    receivedAt: transferredAt,
    transferredAt,
    replyDueAt: h.calendar.addWorkingDays(transferredAt, 3).at,
    replyDueProvisional: false,
    content: '住房保障资格审核进度',
    transferredBy: { kind: 'staff', id: 'liuyang' },
    identityShared: true,
    state: 'issued',
  };
}

async function nationalDayCases(): Promise<Record<string, CaseDoc>> {
  const cal = h.calendar;
  const transferredAt = sh('2026-09-29T10:00:00');
  const lateAccepted = sh('2026-09-30T16:30:00');
  const cases = {
    transfer: caseDoc({ status: 'transferred', acceptedAt: transferredAt, transfers: [slip('zjj', transferredAt)], nextDeadlineAt: transferredAt }),
    unclassified: caseDoc({
      status: 'registered',
      acceptedAt: lateAccepted,
      deadlines: {
        classify: { at: cal.addOfficeHours(lateAccepted, 1), provisional: false },
        firstFeedback: { at: cal.sameDayClose(lateAccepted), provisional: false },
      },
      nextDeadlineAt: lateAccepted,
    }),
    followUp: caseDoc({
      status: 'replied',
      deadlines: { followUp: { at: sh('2026-10-10T17:00:00'), provisional: false } },
      nextDeadlineAt: sh('2026-09-29T09:00:00'),
    }),
    rehandling: caseDoc({
      status: 'rehandling',
      deadlines: { rehandling: { at: sh('2026-10-09T17:00:00'), provisional: false } },
      nextDeadlineAt: sh('2026-09-29T09:00:00'),
    }),
  };
  for (const c of Object.values(cases)) await h.models.Case.create(c);
  return cases;
}

function sweeper() {
  return createSweeper({ models: h.models, coordination: coord, directory: h.directory, calendar: h.calendar, clock, logger: h.logger });
}

describe('deadline sweeper', () => {
  it('fires every reminder and escalation once, at the right working-day moment, across National Day', async () => {
    const cases = await nationalDayCases();
    const a = sweeper();
    const b = sweeper();
    for (let t = clock.now(); t < sh('2026-10-13T12:00:00'); t = new Date(t.getTime() + 30 * 60_000)) {
      clock.set(t);
      await Promise.all([a.sweepOnce(), b.sweepOnce()]);
    }
    const docs = await h.models.Case.find().lean<CaseDoc[]>().exec();
    const byCase = (c: CaseDoc) => docs.find((d) => d._id.equals(c._id))!.outbox as OutboxEntry[];
    const seen = (c: CaseDoc) => byCase(c).map((e) => `${local(e.createdAt)} ${e.reason} → ${e.to.id}`);

    expect(seen(cases.transfer)).toEqual([
      '2026-10-08 09:00 reminder.unitReply → jiangtao',
      '2026-10-10 09:00 escalation.unitReply → liuyang',
      '2026-10-10 09:00 escalation.unitReply → chenjing',
      '2026-10-10 09:00 escalation.unitReply → staff-room',
      '2026-10-12 09:00 escalation.unitReply → liuyang',
      '2026-10-12 09:00 escalation.unitReply → chenjing',
      '2026-10-12 09:00 escalation.unitReply → staff-room',
      '2026-10-13 09:00 escalation.unitReply → liuyang',
      '2026-10-13 09:00 escalation.unitReply → chenjing',
      '2026-10-13 09:00 escalation.unitReply → staff-room',
    ]);
    expect(seen(cases.unclassified)).toEqual([
      '2026-09-30 16:30 reminder.firstFeedback → zhangmin',
      // Thursday 8 Oct: the roster's duty officer that day is 王芳.
      '2026-10-08 09:00 escalation.firstFeedback → wangfang',
      '2026-10-08 09:00 escalation.firstFeedback → staff-room',
      '2026-10-08 09:30 reminder.classify → wangfang',
      '2026-10-08 10:30 escalation.classify → chenjing',
      '2026-10-08 10:30 escalation.classify → staff-room',
    ]);
    expect(seen(cases.followUp)).toEqual([
      '2026-10-10 09:00 reminder.followUp → zhangmin',
      '2026-10-12 09:00 escalation.followUp → zhangmin',
      '2026-10-12 09:00 escalation.followUp → staff-room',
    ]);
    expect(seen(cases.rehandling)).toEqual([
      '2026-10-09 09:00 reminder.rehandling → chenjing',
      '2026-10-10 09:00 escalation.rehandling → chenjing',
      '2026-10-10 09:00 escalation.rehandling → staff-room',
    ]);
    for (const e of docs.flatMap((d) => d.outbox)) expect(h.calendar.isOfficeOpen(e.createdAt)).toBe(true);

    const escalation = byCase(cases.transfer)[4].sayable;
    expect(escalation.kind === 'text' && escalation.text).toContain('第2次催办');
    expect(escalation.kind === 'text' && escalation.text).toContain('市住房和城乡建设局');
    expect(escalation.kind === 'text' && escalation.text).not.toContain('王小明');
  });

  it('shows how late an overdue transfer is in working days and hours', async () => {
    const cases = await nationalDayCases();
    const at = sh('2026-10-12T11:00:00');
    const overdue = overdueOf(cases.transfer, at, h.calendar);
    expect(overdue.map((o) => [o.kind, o.by])).toEqual([['unitReply', { days: 1, hours: 2 }]]);
    expect(formatOverdueZh(overdue)).toBe('单位答复（转办单 S-zjj）超期 1 个工作日 2 小时');
    expect(overdueOf(cases.transfer, sh('2026-10-09T16:00:00'), h.calendar)).toEqual([]);
  });

  it('keeps the case off the sweep until its next reminder is due', async () => {
    const cases = await nationalDayCases();
    clock.set('2026-09-29T10:00:00+08:00');
    await sweeper().sweepOnce();
    const after = await h.models.Case.findById(cases.transfer._id).lean<CaseDoc>().exec();
    expect(after?.nextDeadlineAt).toEqual(sh('2026-10-08T09:00:00'));
    clock.set('2026-09-29T10:30:00+08:00');
    expect((await sweeper().sweepOnce()).scanned).toBe(0);
  });

  it('lets one sweeper lead and another take over when the leader stops renewing', async () => {
    const memClock = new ManualClock('2026-11-24T10:00:00+08:00');
    const mem = createMemoryCoordination({ now: () => memClock.now().getTime() });
    const make = () =>
      createSweeper({ models: h.models, coordination: mem, directory: h.directory, calendar: h.calendar, clock: memClock, logger: h.logger, leaseMs: 30_000 });
    const a = make();
    const b = make();
    expect(await a.tick()).not.toBeNull();
    expect(await b.tick()).toBeNull();
    memClock.advance(20_000);
    expect(await a.tick()).not.toBeNull(); // renewal keeps it
    memClock.advance(29_000);
    expect(await b.tick()).toBeNull();
    memClock.advance(2_000); // a died: its lease ran out
    expect(await b.tick()).not.toBeNull();
    expect(await a.tick()).toBeNull();
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
    await b.stop();
    expect(await a.tick()).not.toBeNull();
    await mem.close();
  });
});
