// A quick sanity run on the in-memory coordination (npm start without Redis): the same engine,
// one process, a hand-moved clock for expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCoordination } from '../../services/coordination/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { allText, announcedNumber, chat, engineFor, writeReport } from './harness.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('conversation_memory');
});
afterAll(() => desk?.close());

describe('engine on in-memory coordination', () => {
  it('files a report, answers a redelivery with the same case number, and says so when the dialogue expired', async () => {
    let now = Date.parse('2026-11-24T10:00:00+08:00');
    const coordination = createMemoryCoordination({ now: () => now });
    const engine = engineFor(desk, coordination, { snapshotTtlMs: 60_000 });
    const c = chat(engine);
    await writeReport(c);
    const filed = await c.press('summary:submit', 'submit-1');
    const number = announcedNumber(filed);
    // The reply may never have left (the channel crashed): the redelivery hears the number again.
    expect(await c.press('summary:submit', 'submit-1')).toEqual(filed);
    expect((await desk.caseDoc(number)).status).toBe('registered');

    now += 61_000;
    expect(await engine.inspect(c.who)).toBeNull();
    expect(allText(await c.say('你好'))).toContain('隔得太久');
    await coordination.close();
  });
});
