// 考核评价 against a fixture computed by hand: 32 cases of the city site received between
// 2026-09-28 and 2026-10-16, around 中秋 (9-25), 国庆 (10-01..10-07) and the 调休 Saturday 10-10,
// evaluated at 2026-10-16 12:00. Office hours 09:00-17:00: one working day is 8 office hours.
// Every expected figure is worked out in the comments; a count that ignored holidays or 调休
// would get several of them wrong (noted where it matters).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PerformanceReport, buildPerformance, periodOf } from '../../services/reports/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { type Spec, build } from './fixture.js';

const sat = 'satisfied' as const;
const basic = 'basically_satisfied' as const;
const dis = 'dissatisfied' as const;

// 市教育局: slips sent 09-30 10:00, the day before the holiday. 应反馈 = 3 working days = 10-10 17:00
// (the 调休 Saturday); 按时签收 by 10-08 17:00 (the next working day, a week later by the calendar).
const jyj: Spec[] = [
  // signed on time; replied on time after 7 h + 3 h = 10 h = 1.25 days
  { id: 'J1', accepted: '09-30 09:00', category: 'NOT_STATIONED', replies: ['09-30 16:00'], slip: { unit: 'jyj', at: '09-30 10:00', ack: '09-30 15:00', reply: '10-08 12:00' }, followUps: [['10-09 10:00', sat]] },
  // signed on time (10-08 16:00); replied on the 调休 Saturday 10-10 16:00: on time, 7+8+8+7 = 30 h = 3.75 days
  { id: 'J2', accepted: '09-30 09:00', category: 'NOT_STATIONED', replies: ['09-30 16:00'], slip: { unit: 'jyj', at: '09-30 10:00', ack: '10-08 16:00', reply: '10-10 16:00' }, followUps: [['10-12 10:00', dis], ['10-15 10:00', sat]] },
  // signed late; replied late (10-12 10:00 > 10-10 17:00): 7+8+8+8+1 = 32 h = 4 days
  { id: 'J3', accepted: '09-30 09:00', category: 'NOT_STATIONED', replies: ['09-30 16:00'], slip: { unit: 'jyj', at: '09-30 10:00', ack: '10-09 09:30', reply: '10-12 10:00' }, followUps: [['10-13 10:00', dis]] },
  // never signed, never answered: overdue open
  { id: 'J4', accepted: '09-30 09:00', category: 'NOT_STATIONED', replies: ['09-30 16:00'], slip: { unit: 'jyj', at: '09-30 10:00' } },
  // answered without a separate 签收 (10-09 11:00: a late signature, an on-time reply): 7+8+2 = 17 h = 2.125 days
  { id: 'J5', accepted: '09-30 09:00', category: 'NOT_STATIONED', replies: ['09-30 16:00'], slip: { unit: 'jyj', at: '09-30 10:00', reply: '10-09 11:00' }, followUps: [['10-16 11:00', basic]] },
  // same day: 6 h = 0.75 days
  { id: 'J6', accepted: '09-30 09:00', category: 'NOT_STATIONED', replies: ['09-30 16:30'], slip: { unit: 'jyj', at: '09-30 10:00', ack: '09-30 11:00', reply: '09-30 16:00' } },
];
// 市住建局: slips sent Friday 10-09 14:00. 签收 by the 调休 Saturday 10-10 17:00; 应反馈 10-13 17:00
// (10-10, 10-12, 10-13). Without 调休 both would be a working day later and Z2 would be on time twice.
const zjj: Spec[] = [
  // 3+8+8+7 = 26 h = 3.25 days
  { id: 'Z1', accepted: '10-09 09:00', category: 'NOT_STATIONED', replies: ['10-09 15:00'], slip: { unit: 'zjj', at: '10-09 14:00', ack: '10-10 10:00', reply: '10-13 16:00' }, followUps: [['10-14 10:00', sat]] },
  // signed Monday (late), replied 10-14 10:00 (late): 3+8+8+8+1 = 28 h = 3.5 days
  { id: 'Z2', accepted: '10-09 09:00', category: 'NOT_STATIONED', replies: ['10-09 15:00'], slip: { unit: 'zjj', at: '10-09 14:00', ack: '10-12 09:10', reply: '10-14 10:00' }, followUps: [['10-15 10:00', dis]] },
  // 3+8 = 11 h = 1.375 days
  { id: 'Z3', accepted: '10-09 09:00', category: 'NOT_STATIONED', replies: ['10-09 15:00'], slip: { unit: 'zjj', at: '10-09 14:00', ack: '10-09 15:00', reply: '10-12 09:00' } },
  // signed on time, never answered: overdue; first feedback only the next day
  { id: 'Z4', accepted: '10-09 09:00', category: 'NOT_STATIONED', replies: ['10-10 10:00'], slip: { unit: 'zjj', at: '10-09 14:00', ack: '10-10 16:59' } },
  { id: 'Z5', accepted: '10-09 09:00', category: 'NOT_STATIONED', replies: ['10-10 10:00'], slip: { unit: 'zjj', at: '10-09 14:00' } },
];
// 市便民服务中心: sent 09-29 09:30; 签收 by 09-30 17:00; 应反馈 10-09 17:00 (09-30, 10-08, 10-09).
const bmfw: Spec[] = [
  // 7.5+8+8+7.5 = 31 h = 3.875 days
  { id: 'B1', accepted: '09-29 09:00', category: 'AUTHORITY_UNCLEAR', replies: ['09-29 11:00'], slip: { unit: 'bmfw', at: '09-29 09:30', ack: '09-29 10:00', reply: '10-09 16:30' }, followUps: [['10-12 10:00', basic]] },
  // late: 7.5+8+8+8+1 = 32.5 h = 4.0625 days
  { id: 'B2', accepted: '09-29 09:00', category: 'AUTHORITY_UNCLEAR', replies: ['09-29 11:00'], slip: { unit: 'bmfw', at: '09-29 09:30', ack: '09-30 16:00', reply: '10-10 10:00' } },
  { id: 'B3', accepted: '09-29 09:00', category: 'AUTHORITY_UNCLEAR', replies: ['09-29 11:00'], slip: { unit: 'bmfw', at: '09-29 09:30', ack: '10-08 09:00' } },
];
// 海虞镇: sent yesterday; nothing due yet, so no rate at all.
const haiyu: Spec[] = [{ id: 'H1', accepted: '10-15 09:00', category: 'NOT_STATIONED', replies: ['10-15 11:00'], slip: { unit: 'haiyu', at: '10-15 10:00' } }];

// Handled at the center. 回访 due 5 working days after acceptance.
const center: Spec[] = [
  // same day; follow-up due 10-10 17:00 (调休 Saturday): in time
  { id: 'G1', accepted: '09-28 10:00', channel: 'window', replies: ['09-28 11:00'], followUps: [['09-29 10:00', sat]] },
  // due 10-13 17:00 (10-08, 09, 10, 12, 13): 10-10 is in time (5 calendar days would say late)
  { id: 'G2', accepted: '09-30 15:00', channel: 'window', replies: ['09-30 16:00'], followUps: [['10-10 15:00', sat]] },
  // first answer after the holiday: not same day; follow-up 10-14 > 10-13 17:00: late
  { id: 'G3', accepted: '09-30 16:30', channel: 'hotline', replies: ['10-08 09:30'], followUps: [['10-14 10:00', sat]] },
  // due 10-14 17:00 thanks to the 调休 Saturday (10-15 17:00 without it): 10-15 16:00 is late
  { id: 'G4', accepted: '10-08 09:00', replies: ['10-08 10:00'], followUps: [['10-15 16:00', sat]] },
  // due 10-15 17:00, no follow-up by now: counted, not in time
  { id: 'G5', accepted: '10-09 10:00', replies: ['10-09 11:00'] },
  // due 10-19: not yet counted
  { id: 'G6', accepted: '10-12 10:00', replies: ['10-12 15:00'] },
  { id: 'G7', accepted: '10-14 10:00', replies: ['10-15 09:00'], followUps: [['10-15 10:00', sat]] },
  // received this morning: its first-feedback day is not over, nothing counted
  { id: 'G8', accepted: '10-16 09:00' },
  // due 10-12 17:00: in time
  { id: 'C1', accepted: '09-29 10:00', category: 'COMPLEX', channel: 'wechat', replies: ['09-29 16:00', '10-09 10:00'], followUps: [['10-12 10:00', sat]] },
  { id: 'C2', accepted: '10-13 09:00', category: 'COMPLEX', replies: ['10-14 09:00'] },
  // due 10-14 17:00, none: counted, not in time
  { id: 'C3', accepted: '10-08 14:00', category: 'COMPLEX', replies: ['10-08 16:00'] },
  // due 10-15 17:00: 10-16 is late
  { id: 'I1', accepted: '10-09 09:00', category: 'IRREGULAR_SERVICE', channel: 'wechat', replies: ['10-09 10:00'], followUps: [['10-16 10:00', sat]] },
  // no answer, its day over: counted, not same day
  { id: 'I2', accepted: '10-12 09:00', category: 'IRREGULAR_SERVICE' },
  { id: 'O1', accepted: '10-08 11:00', category: null, channel: 'window', status: 'out_of_scope', firstFeedback: false, closedAt: '10-08 11:30' },
  { id: 'O2', accepted: '10-13 11:00', category: null, channel: 'hotline', status: 'out_of_scope', firstFeedback: false, closedAt: '10-13 11:30' },
  { id: 'U1', accepted: '10-16 10:00', category: null, status: 'registered' },
  // withdrawn before any answer: in neither rate
  { id: 'W1', accepted: '10-12 11:00', status: 'withdrawn', closedAt: '10-12 11:30' },
];
// Outside the report: received before the period (its slip too), and another site's case.
const outside: Spec[] = [
  { id: 'P1', accepted: '09-17 10:00', category: 'NOT_STATIONED', replies: ['09-17 11:00'], slip: { unit: 'jyj', at: '09-18 10:00', ack: '09-18 11:00', reply: '09-21 10:00' } },
  { id: 'Y1', accepted: '10-12 10:00', site: 'yushan', category: 'NOT_STATIONED', replies: ['10-12 11:00'], slip: { unit: 'jyj', at: '10-12 11:00' } },
];

let desk: TestDesk;
let report: PerformanceReport;

beforeAll(async () => {
  desk = await startDesk('reports-performance', { now: '2026-10-16T12:00:00+08:00' });
  const all = [...jyj, ...zjj, ...bmfw, ...haiyu, ...center, ...outside].map((s) => build(s, desk.app.calendar));
  await desk.app.models.Case.insertMany(all);
  const names = new Map((await desk.app.directory.units()).map((u) => [u._id, u.name]));
  report = await buildPerformance(
    { models: desk.app.models, calendar: desk.app.calendar },
    { period: periodOf('2026-09-28', '2026-10-16'), site: 'city', scope: '常熟市政务服务中心', siteName: '常熟市政务服务中心', asOf: desk.clock.now(), unitName: (c) => names.get(c) ?? c },
  );
}, 60_000);
afterAll(async () => {
  await desk?.close();
});

const unit = (code: string) => {
  const u = report.units.find((x) => x.unit === code);
  if (!u) throw new Error(`no row for ${code}`);
  return u;
};

describe('unit performance across 国庆 2026 and its 调休 Saturday', () => {
  it('lists every unit the site transferred to in the period, busiest first, and no slip from before it or from another site', () => {
    expect(report.units.map((u) => [u.unit, u.received])).toEqual([
      ['jyj', 6],
      ['zjj', 5],
      ['bmfw', 3],
      ['haiyu', 1],
    ]);
    expect(unit('jyj').name).toBe('市教育局');
  });

  it('市教育局: 按时签收率 3/6, 按时办结率 4/(5+1), reply time 2.375 / 4 working days, 满意率 3/4, 发回重办率 2/4', () => {
    expect(unit('jyj')).toMatchObject({
      signed: 5,
      signedOnTime: 3,
      signDue: 6,
      signRate: 0.5,
      replied: 5,
      repliedOnTime: 4,
      repliedLate: 1,
      overdueOpen: 1,
      onTimeRate: 4 / 6,
      p90ReplyDays: 4,
      followedUp: 4,
      satisfied: 3,
      satisfactionRate: 0.75,
      rehandled: 2,
      rehandlingRate: 0.5,
    });
    expect(unit('jyj').avgReplyDays).toBeCloseTo(2.375, 9);
  });

  it('市住建局: the 调休 Saturday is a working day for 签收 and 应反馈 alike', () => {
    expect(unit('zjj')).toMatchObject({
      signedOnTime: 3,
      signDue: 5,
      signRate: 0.6,
      replied: 3,
      repliedOnTime: 2,
      repliedLate: 1,
      overdueOpen: 2,
      onTimeRate: 0.4,
      p90ReplyDays: 3.5,
      followedUp: 2,
      satisfactionRate: 0.5,
      rehandlingRate: 0.5,
    });
    expect(unit('zjj').avgReplyDays).toBeCloseTo(8.125 / 3, 9);
  });

  it('市便民服务中心: 2/3 signed on time, 1 of 3 answered on time, 3.96875 days on average', () => {
    expect(unit('bmfw')).toMatchObject({ signRate: 2 / 3, repliedOnTime: 1, repliedLate: 1, overdueOpen: 1, onTimeRate: 1 / 3, p90ReplyDays: 4.0625, satisfactionRate: 1, rehandlingRate: 0 });
    expect(unit('bmfw').avgReplyDays).toBeCloseTo(3.96875, 9);
  });

  it('a slip with nothing due yet has no rate rather than 0 %', () => {
    expect(unit('haiyu')).toMatchObject({ received: 1, signDue: 0, signRate: null, onTimeRate: null, avgReplyDays: null, p90ReplyDays: null, satisfactionRate: null });
  });
});

describe('site figures', () => {
  it('counts the 32 cases received by situation and channel, with the 2 out of scope', () => {
    const s = report.site!;
    expect(s.total).toBe(32);
    expect(s.outOfScope).toBe(2);
    expect(s.byCategory).toEqual({ GENERAL: 9, COMPLEX: 3, IRREGULAR_SERVICE: 2, NOT_STATIONED: 12, AUTHORITY_UNCLEAR: 3, none: 3 });
    expect(s.byChannel).toMatchObject({ window: 3, hotline: 2, wechat: 2, telegram: 25 });
  });

  it('same-day first feedback: 21 of the 27 cases whose day is over or that were answered', () => {
    expect(report.site).toMatchObject({ sameDayDue: 27, sameDay: 21 });
    expect(report.site!.sameDayRate).toBeCloseTo(21 / 27, 9);
  });

  it('follow-up within 5 working days (from the unit result when transferred): 10 of 17', () => {
    expect(report.site).toMatchObject({ followUpDue: 17, followUpInTime: 10 });
  });

  it('counts the cases of each week, 国庆 week included', () => {
    const weeks = Object.fromEntries(report.weekly.map((w) => [w.week.from, w.cases]));
    // 09-28 week: J×6, B×3, G1, G2, G3, C1 = 13; 10-05 week: G4, G5, C3, I1, O1, Z×5 = 10; 10-12 week: the other 9.
    expect(weeks).toMatchObject({ '2026-09-28': 13, '2026-10-05': 10, '2026-10-12': 9 });
    // the series reaches back 8 weeks; P1 (09-17) sits in the week of 09-14
    expect(weeks['2026-09-14']).toBe(1);
  });
});
