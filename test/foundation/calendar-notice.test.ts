// A year without a published holiday schedule is announced in every site's staff room at
// start-up, once a day however many processes start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('calendar_notice');
});
afterAll(() => desk?.close());

describe('missing holiday year', () => {
  it('tells each staff room once, naming the year', async () => {
    const notices = () => desk.app.models.Message.find({ reason: 'notice.calendar' }).lean();
    const first = await notices();
    expect(first.map((m) => m.to.id).sort()).toEqual(['staff-room', 'staff-room-kfq', 'staff-room-yushan']);
    expect(JSON.stringify(first[0].sayable)).toContain('2027年');
    // A second process on the same database, the same day: nothing new.
    const again = await createApp({
      config: { MONGODB_URI: desk.app.config.MONGODB_URI, MONGODB_DB: desk.app.config.MONGODB_DB, LOG_LEVEL: 'silent' },
      clock: desk.clock,
      calendarOverrides: {},
      workers: false,
    });
    await again.stop();
    expect(await notices()).toHaveLength(3);
  });

  it('says nothing once the operator has entered the year', async () => {
    const quiet = await createApp({
      config: { MONGODB_URI: desk.app.config.MONGODB_URI, MONGODB_DB: `${desk.app.config.MONGODB_DB}_b`, LOG_LEVEL: 'silent' },
      clock: desk.clock,
      calendarOverrides: { holidays: ['2027-01-01'], years: [2027] },
      workers: false,
    });
    try {
      expect(await quiet.models.Message.countDocuments({ reason: 'notice.calendar' })).toBe(0);
    } finally {
      await quiet.connection.dropDatabase();
      await quiet.stop();
    }
  });

  it('refuses to start with a notice that leaves out a statutory day', async () => {
    await expect(
      createApp({
        config: { MONGODB_URI: desk.app.config.MONGODB_URI, MONGODB_DB: `${desk.app.config.MONGODB_DB}_c`, LOG_LEVEL: 'silent' },
        clock: desk.clock,
        calendarOverrides: { notices: { 2027: { off: ['01-01~01-03', '02-06~02-12', '04-05', '05-01~05-05', '06-09', '09-15', '10-01~10-07'] } } },
        workers: false,
      }),
    ).rejects.toThrow('statutory days not in "off": 2027-02-05 (春节)');
  });
});
