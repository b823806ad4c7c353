// A crowd submitting at once: every registration keeps its guarantees (one case per submission,
// consecutive numbers, its audit entry, its messages) while the store is asked a few commands for
// the whole crowd instead of about ten per registration, which is what made each citizen wait
// behind everyone else's round trips.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IntakeInput } from '../../services/cases/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('case_crowd', { now: '2026-11-24T10:00:00+08:00', monitorCommands: true });
});
afterAll(() => desk?.close());

const input = (i: number, over: Partial<IntakeInput> = {}): IntakeInput => ({
  site: 'city',
  channel: 'telegram',
  reporter: { name: '王小明', phone: `138${String(10_000_000 + i).slice(-8)}`, identity: { channel: 'telegram', id: String(7000 + i) } },
  matter: `食品经营许可变更（第${i}号）`,
  account: '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次。',
  involvedUnit: 'scrz',
  idempotencyKey: `crowd-${i}`,
  ...over,
});

it('registers 60 citizens submitting at once with a few store commands, each case whole', async () => {
  const commands: string[] = [];
  const client = desk.app.connection.getClient();
  const count = (e: { commandName: string }) => commands.push(e.commandName);
  client.on('commandStarted', count);
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) => desk.app.cases.register(input(i), desk.citizen(String(7000 + i)))),
  ).finally(() => client.off('commandStarted', count));

  const numbers = results.map((r) => (r.registered ? r.number : ''));
  expect(numbers.map((n) => Number(n.slice(8))).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  // Before: about ten per registration (a lookup of the key, the site, the roster twice, the
  // officer, the counter, the insert, the audit entry, a read back).
  expect(commands.length).toBeLessThan(20);

  const stored = await desk.app.models.Case.find({ intakeKey: /^crowd-/ }).lean().exec();
  expect(stored).toHaveLength(60);
  for (const r of results) {
    if (!r.registered) throw new Error('not registered');
    const doc = stored.find((d) => d.number === r.number);
    expect(doc?.reporter.identity?.id).toBe(r.case.reporter.identity?.id);
    expect(doc?.outbox.map((m) => m.reason)).toEqual(['case.registered', 'case.duty_officer']);
    // What the caller is given is the case as stored, though it is no longer read back.
    expect(r.case).toStrictEqual(doc);
  }
  const audit = await desk.app.models.Audit.find({ action: 'REGISTER', caseNumber: { $in: numbers } }).lean().exec();
  expect(audit).toHaveLength(60);
});

it('in a crowd, a submission sent twice is one case and the others are not held up by it', async () => {
  desk.clock.set('2026-11-25T10:00:00+08:00');
  const results = await Promise.all([
    ...Array.from({ length: 10 }, (_, i) => desk.app.cases.register(input(100 + i), desk.citizen(String(7100 + i)))),
    desk.app.cases.register(input(200, { idempotencyKey: 'crowd-twice' }), desk.citizen('7200')),
    desk.app.cases.register(input(200, { idempotencyKey: 'crowd-twice' }), desk.citizen('7200')),
  ]);
  const [a, b] = results.slice(10);
  if (!a.registered || !b.registered) throw new Error('not registered');
  expect(a.number).toBe(b.number);
  expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
  expect(results.slice(0, 10).every((r) => r.registered && !r.duplicate)).toBe(true);
  expect(await desk.app.models.Case.countDocuments({ intakeKey: 'crowd-twice' })).toBe(1);
  expect(await desk.app.models.Case.countDocuments({ acceptedAt: { $gte: new Date('2026-11-25T00:00:00+08:00') } })).toBe(11);
});

it('writes an audit entry once when the same change is audited again, alone or in a crowd', async () => {
  const { writeAudit } = await import('../../services/cases/change.js');
  const warned: unknown[] = [];
  const deps = { models: desk.app.models, logger: { warn: (...a: unknown[]) => warned.push(a) } } as unknown as Parameters<typeof writeAudit>[0];
  const entry = (i: number) => ({ _id: `audit-once-${i}`, at: new Date(), actor: { kind: 'system', id: 'system' }, action: 'TEST', detail: { i } });
  await writeAudit(deps, entry(0));
  await Promise.all([writeAudit(deps, entry(0)), writeAudit(deps, entry(1)), writeAudit(deps, entry(1)), writeAudit(deps, entry(2))]);
  const stored = await desk.app.models.Audit.find({ action: 'TEST' }).sort({ _id: 1 }).lean().exec();
  expect(stored.map((a) => a._id)).toEqual(['audit-once-0', 'audit-once-1', 'audit-once-2']);
  expect(warned).toEqual([]);
});
