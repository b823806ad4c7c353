// Two bot processes and two dispatcher processes on one Redis and one store, delivering through
// the real Telegram sender to a Bot API fake that this test runs and every process reaches over
// HTTP. What staff notice in their Telegram chats: every notice the desk wrote (the messages
// collection) arrives once, however the updates were spread over the bot processes; and when a
// dispatcher is SIGKILLed with sends in flight, everything still arrives, the only repeats being
// messages that were in flight at the kill (sent, not yet recorded: the documented at-least-once
// window).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDoc } from '../../models/message.js';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import { BotApiFake } from '../support/bot-api-fake/index.js';
import { deleteRedisKeys } from '../support/redis.js';
import type { StoreProcess } from '../support/store-process.js';
import { SUBMIT_STEP, announced, burstToAll, citizenSteps, startBot, startDispatcher, suiteStore } from './harness.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(join(tmpdir(), 'resilience-delivery-'));
let store: StoreProcess | null = null;
let uri: string;
let mongo: MongoClient;
const fakes: BotApiFake[] = [];
const prefixes: string[] = [];
const dbs: string[] = [];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The city's staff rooms: several, so that sends to different chats are in flight at once. */
const ROOMS = ['-1009000000001', '-1009000000002', '-1009000000003', '-1009000000004'];
const directoryFile = join(dir, 'directory.json');
/** Telegram chat id of every staff member, by directory id. */
const staffChat = new Map<string, string>();

/** Every group the desk writes to (the city's rooms and the other sites' one each). */
const groups: string[] = [];

beforeAll(async () => {
  ({ uri, store } = await suiteStore(join(dir, 'data')));
  mongo = await MongoClient.connect(uri);
  // The sample directory with its rooms and staff moved onto Telegram.
  const directory = JSON.parse(readFileSync(new URL('../../config/directory.json', import.meta.url), 'utf8'));
  directory.sites.forEach((s: { staffRooms: { channel: string; id: string }[] }, i: number) => {
    const rooms = i === 0 ? ROOMS : [`-10090000001${i}0`];
    groups.push(...rooms);
    s.staffRooms = rooms.map((id) => ({ channel: 'telegram', id }));
  });
  directory.staff.forEach((s: { id: string; identities: { channel: string; id: string }[] }, i: number) => {
    const id = String(6_100_000 + i);
    staffChat.set(s.id, id);
    s.identities = [{ channel: 'telegram', id }];
  });
  writeFileSync(directoryFile, JSON.stringify(directory));
});
afterAll(async () => {
  for (const db of dbs) await mongo?.db(db).dropDatabase().catch(() => undefined);
  await mongo?.close();
  store?.proc.kill('SIGKILL');
  for (const f of fakes) await f.stop();
  for (const p of prefixes) await deleteRedisKeys(redisUrl, p);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A desk of its own for one test: a database, a Redis prefix and a Telegram (the Bot API fake, in
 * this process, which the dispatcher processes reach over HTTP), on a Tuesday morning.
 */
async function freshDesk() {
  // Telegram's 20 a minute into a group is the dispatcher's limit tests' business, not this one's.
  const fake = await new BotApiFake({ groupPerMinute: 1_000_000 }).start();
  fakes.push(fake);
  for (const id of groups) fake.group({ id: Number(id), title: `room ${id}` });
  // A private chat exists on Telegram once its person has written to the bot.
  for (const id of staffChat.values()) fake.user({ id: Number(id) }).send('/start');
  const prefix = `test:resilience-delivery:${randomUUID()}:`;
  const db = `resilience_dlv_${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  dbs.push(db);
  const clockOffsetMs = Date.parse('2026-11-24T10:00:00+08:00') - Date.now();
  const env = {
    MONGODB_URI: uri,
    MONGODB_DB: db,
    REDIS_URL: redisUrl,
    DESK_PREFIX: prefix,
    DIRECTORY_FILE: directoryFile,
    // Within office hours on a working day: no notice waits for the next opening.
    CLOCK_OFFSET_MS: String(clockOffsetMs),
  };
  const dispatcherEnv = (leaseMs?: number) => ({
    ...env,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_BOT_TOKEN: fake.token,
    ...(leaseMs ? { LEASE_MS: String(leaseMs) } : {}),
  });
  const messages = () => mongo.db(db).collection<MessageDoc>('messages');
  const cases = () => mongo.db(db).collection('cases');
  /** What staff see in every chat the desk can write to, as keys (one per message the bot sent). */
  const arrived = () => [...groups, ...staffChat.values()].flatMap((c) => fake.sent(Number(c)).map((m) => key(c, m.text ?? m.caption ?? '')));
  /** The desk's time now, as its processes read it. */
  const now = () => new Date(Date.now() + clockOffsetMs);
  return { fake, env, dispatcherEnv, messages, cases, arrived, now };
}
type Desk = Awaited<ReturnType<typeof freshDesk>>;

/** A sent message as staff see it: where, and what it says. */
const key = (chat: string | number, text: string) => `${chat}|${text}`;
const wrote = (m: MessageDoc) => key(m.to.id, m.sayable.kind === 'file' ? (m.sayable.caption ?? m.sayable.name) : m.sayable.text);

/** Resolves once `check` holds, polled; fails the test with `what` after `ms`. */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 60_000, logs: { stderr(): string }[] = []): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still waiting for ${what} after ${ms} ms; the dispatchers logged: ${logs.map((l) => l.stderr()).join('\n') || 'nothing'}`);
    await sleep(25);
  }
}

/** Every case change relayed and every message sent: nothing left for a dispatcher to do. */
async function allDelivered(desk: Desk): Promise<boolean> {
  if ((await desk.cases().countDocuments({ outboxAt: { $ne: null } })) > 0) return false;
  return (await desk.messages().countDocuments({ state: { $ne: 'sent' } })) === 0;
}

/** The one case of a chat that submitted and supplemented once, and the number it was told. */
async function expectFiledOnce(desk: Desk, who: ChannelIdentity, told: string | null) {
  const cs = await desk.cases().find({ 'reporter.identity.id': String(who.id) }).toArray();
  expect(cs, `cases of ${who.id}`).toHaveLength(1);
  expect(told, `number told to ${who.id}`).toBe(cs[0].number);
  expect((cs[0].handling as { kind: string }[]).filter((h) => h.kind === 'supplement')).toHaveLength(1);
}

/** Each room heard of each case once, as 【新事项】 and as 收到诉求人补充内容. */
function expectRoomsHeardOnce(desk: Desk, numbers: string[]) {
  for (const room of ROOMS) {
    const texts = desk.fake.sent(Number(room)).map((m) => m.text ?? '');
    for (const n of numbers) {
      expect(texts.filter((t) => t.startsWith(`【新事项】${n}（`)), `new-case notices of ${n} in ${room}`).toHaveLength(1);
      expect(texts.filter((t) => t.startsWith(`事项 ${n} 收到诉求人补充内容`)), `supplement notices of ${n} in ${room}`).toHaveLength(1);
    }
  }
}

const tally = (keys: string[]) => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
};
/** What was written but never arrived, and what arrived more often than written (repeats). */
function compare(written: string[], arrived: string[]) {
  const w = tally(written);
  const a = tally(arrived);
  const over = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([k, n]) => Array<string>(Math.max(0, n - (y.get(k) ?? 0))).fill(k));
  return { missing: over(w, a), extra: over(a, w) };
}
/** A key short enough to read in a failure: the chat and the first line. */
const short = (k: string) => k.split('\n')[0].slice(0, 60);

describe('two bot processes and two dispatcher processes on one Redis and one store', () => {
  it('sends every notice of a burst delivered to both bot processes exactly once: one case per report, nothing twice', async () => {
    const desk = await freshDesk();
    const [bots, dispatchers] = await Promise.all([
      Promise.all([startBot(desk.env), startBot(desk.env)]),
      Promise.all([startDispatcher(desk.dispatcherEnv()), startDispatcher(desk.dispatcherEnv())]),
    ]);
    try {
      const chats = Array.from({ length: 10 }, (_, i): ChannelIdentity => ({ channel: 'telegram', id: `73${i}${Date.now() % 100000}` }));
      const told = await burstToAll(bots, chats);
      for (const who of chats) await expectFiledOnce(desk, who, told.get(who.id) ?? null);
      await until(() => allDelivered(desk), 'every message relayed and sent', 60_000, dispatchers);
      // A clean stop waits for sends in flight: a second copy of anything would be in by now.
      await Promise.all(dispatchers.map((d) => d.kill('SIGTERM')));
      const written = (await desk.messages().find().toArray()).map(wrote);
      expect(written.length).toBeGreaterThanOrEqual(chats.length * ROOMS.length * 2);
      const { missing, extra } = compare(written, desk.arrived());
      expect({ missing: missing.map(short), extra: extra.map(short) }).toEqual({ missing: [], extra: [] });
      expectRoomsHeardOnce(desk, [...told.values()] as string[]);
    } finally {
      await Promise.all([...bots, ...dispatchers].map((p) => p.kill('SIGTERM')));
    }
  });

  it('delivers everything after a dispatcher is SIGKILLed with sends in flight and another takes over; repeats only of what was in flight', async () => {
    const desk = await freshDesk();
    // A claim protects a message this long; the survivors wait it out once for the dead one's claims.
    const leaseMs = 5_000;
    // Telegram slow for a while: each send is on the wire for a second, so a dispatcher holds claims
    // it has sent and not yet recorded. Well inside the lease, so no live dispatcher's claim runs out.
    desk.fake.fail('sendMessage', { kind: 'slow', ms: 1_000 }, { times: 1_000_000 });
    const [bots, dispatchers] = await Promise.all([
      Promise.all([startBot(desk.env), startBot(desk.env)]),
      Promise.all([startDispatcher(desk.dispatcherEnv(leaseMs)), startDispatcher(desk.dispatcherEnv(leaseMs))]),
    ]);
    const victim = dispatchers[0];
    try {
      const chats = Array.from({ length: 8 }, (_, i): ChannelIdentity => ({ channel: 'telegram', id: `74${i}${Date.now() % 100000}` }));
      const told = new Map<string | number, string | null>();
      const load = Promise.all(
        chats.map(async (who, i) => {
          for (const [n, step] of citizenSteps(i).entries()) {
            const out = await bots[(i + n) % bots.length].send(who, { ...step, updateId: `${who.id}:${n}` });
            if (n === SUBMIT_STEP) told.set(who.id, announced(out));
          }
        }),
      );
      /** The victim's claims, or only those it took in the last `withinMs` (a claim's lease runs from when it was taken). */
      const claimedByVictim = (withinMs?: number) =>
        desk
          .messages()
          .find({
            state: 'sending',
            leaseOwner: victim.owner,
            ...(withinMs === undefined ? {} : { leaseUntil: { $gt: new Date(desk.now().getTime() + leaseMs - withinMs) } }),
          })
          .toArray();
      // Mid-delivery (and mid-dialogue for the later citizens): some notices have arrived and the
      // victim has just claimed a message, so its one-second send is on the wire when it dies. (Not
      // merely "holds a claim": the first arrivals end a batch of sends that began together, and a
      // claim seen then may be recorded sent before the kill lands.)
      await until(async () => desk.arrived().length > 0 && (await claimedByVictim(300)).length > 0, 'the victim to start a send');
      await victim.kill('SIGKILL');
      // What it held when it died: sent or about to be, never recorded. Nothing else may repeat.
      const inFlight = (await claimedByVictim()).map(wrote);
      const arrivedAtKill = desk.arrived().length;
      desk.fake.clearFaults();
      dispatchers[0] = await startDispatcher(desk.dispatcherEnv(leaseMs));
      await load;
      for (const who of chats) await expectFiledOnce(desk, who, told.get(who.id) ?? null);
      await until(() => allDelivered(desk), 'every message relayed and sent after the kill', 60_000, dispatchers);
      // A clean stop waits for sends in flight.
      await Promise.all(dispatchers.map((d) => d.kill('SIGTERM')));
      const written = (await desk.messages().find().toArray()).map(wrote);
      expect(inFlight.length).toBeGreaterThan(0);
      expect(arrivedAtKill).toBeLessThan(written.length);
      const { missing, extra } = compare(written, desk.arrived());
      expect(missing.map(short)).toEqual([]);
      // At least once: a repeat is a message that was on the wire at the kill, and at most once more.
      expect(extra.length).toBeLessThanOrEqual(inFlight.length);
      const held = tally(inFlight);
      for (const [k, n] of tally(extra)) expect(n, `repeats of ${short(k)}`).toBeLessThanOrEqual(held.get(k) ?? 0);
    } finally {
      await Promise.all([...bots, ...dispatchers].map((p) => p.kill('SIGTERM')));
    }
  });
});
