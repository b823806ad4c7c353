// The conversation engine against real Redis and a whole desk: what a citizen in a chat notices
// (the whole intake, replies in order, no lost or doubled messages, expiry, rate limit, follow-up)
// and what the desk notices (exactly one case, supplements all landed).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseDoc } from '../../models/case.js';
import { type Coordination, createMemoryCoordination } from '../../services/coordination/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { allText, announcedNumber, chat, engineFor, redisFixture, writeReport, writeReportUntilUnit } from './harness.js';

let desk: TestDesk;
const redis = redisFixture();
let a: Coordination;
let b: Coordination;

beforeAll(async () => {
  desk = await startDesk('conversation_engine');
  // Two connections: what two bot processes would have.
  a = await redis.connect();
  b = await redis.connect();
});
afterAll(async () => {
  await redis.close();
  await desk?.close();
});

const casesOf = (id: string) =>
  desk.app.models.Case.find({ 'reporter.identity.id': id }).lean<CaseDoc[]>().exec();

async function fileReport(c: ReturnType<typeof chat>) {
  await writeReport(c);
  const out = await c.press('summary:submit');
  return { out, number: announcedNumber(out) };
}

describe('a whole intake through the engine', () => {
  it('registers exactly one case and tells the citizen its number and what happens next', async () => {
    const engine = engineFor(desk, a);
    const c = chat(engine);
    const summary = await writeReport(c);
    expect(summary.at(-1)?.kind).toBe('choices');
    expect(allText(summary)).toContain('营业执照变更');

    const out = await c.press('summary:submit');
    const number = announcedNumber(out);
    expect(number).toMatch(/^20261124\d{3}$/);
    expect(allText(out)).toContain('一事一议');
    const cases = await casesOf(c.who.id);
    expect(cases).toHaveLength(1);
    const doc = cases[0];
    expect(doc.reporter).toMatchObject({ name: '张三', phone: '13812345678', identity: c.who });
    expect(doc.suggestedCategory).toBe('COMPLEX');
    // "市场准入综合窗口" is a directory unit: the privacy rule can now hide the reporter from it.
    expect(doc.involvedUnits).toEqual(['scrz']);
    expect(doc.unitAsNamed).toEqual({ words: '市场准入综合窗口', suggested: ['scrz'] });
    expect(await engine.inspect(c.who)).toMatchObject({ state: 'filed', caseNumber: number });
    // Pressing the old submit button again is a stale choice, not a second case.
    await c.press('summary:submit');
    expect(await casesOf(c.who.id)).toHaveLength(1);
  });

  it('keeps a unit it cannot identify in the account instead of guessing a code', async () => {
    const c = chat(engineFor(desk, a));
    await writeReport(c, { unit: '3号窗口' });
    const number = announcedNumber(await c.press('summary:submit'));
    const doc = await desk.caseDoc(number);
    expect(doc.involvedUnits).toEqual([]);
    expect(doc.account).toContain('3号窗口');
  });

  it('recognises the unit as citizens name it (教育局的窗口 is 市教育局), so that unit is never shown who reported', async () => {
    const c = chat(engineFor(desk, a));
    await writeReport(c, { unit: '教育局的窗口' });
    const number = announcedNumber(await c.press('summary:submit'));
    expect((await desk.caseDoc(number)).involvedUnits).toEqual(['jyj']);
  });

  it('asks the citizen to pick when the words may mean several units, and keeps what they typed for the duty officer', async () => {
    const c = chat(engineFor(desk, a));
    await writeReportUntilUnit(c);
    const pick = await c.say('教育局和住建局');
    const question = pick.find((m) => m.kind === 'choices');
    expect(allText(pick)).toContain('您说的“教育局和住建局”是指下面哪个单位？');
    expect(allText(pick)).not.toContain('请问您怎么称呼'); // the name question waits for the pick
    expect(question?.kind === 'choices' && question.choices.map((x) => x.label)).toEqual(['市教育局', '市住房和城乡建设局', '都不是']);
    await c.say('2');
    await c.say('张三');
    await c.say('138 1234 5678');
    const number = announcedNumber(await c.press('summary:submit'));
    const doc = await desk.caseDoc(number);
    expect(doc.involvedUnits).toEqual(['zjj']);
    expect(doc.unitAsNamed).toEqual({ words: '教育局和住建局', suggested: ['jyj', 'zjj'], picked: 'zjj' });
    const dm = doc.outbox.find((m) => m.reason === 'case.duty_officer');
    expect(JSON.stringify(dm?.sayable)).toContain('诉求人所述单位：“教育局和住建局”，可能是：市教育局（jyj）、市住房和城乡建设局（zjj）；诉求人选定：市住房和城乡建设局');
  });

  it('"都不是" keeps the words and sets no unit, and the duty officer still sees the likely ones', async () => {
    const c = chat(engineFor(desk, a));
    await writeReportUntilUnit(c);
    await c.say('教育');
    await c.say('都不是');
    await c.say('张三');
    await c.say('138 1234 5678');
    const doc = await desk.caseDoc(announcedNumber(await c.press('summary:submit')));
    expect(doc.involvedUnits).toEqual([]);
    expect(doc.unitAsNamed).toEqual({ words: '教育', suggested: ['jyj'], picked: null });
    expect(doc.account).toContain('（反映涉及的窗口/单位：教育）');
  });

  it('answers a submission the desk refuses with the reason, keeps the draft, and a retry registers once', async () => {
    // A site that is not in the directory: registration throws a NotFoundError.
    const broken = engineFor(desk, a, { site: 'nowhere' });
    const working = engineFor(desk, a);
    const c = chat(broken);
    await writeReport(c);
    const failed = await c.press('summary:submit');
    expect(allText(failed)).toContain('登记时发现问题');
    expect(allText(failed)).toContain('您填写的内容都还在');
    expect((await broken.inspect(c.who))?.state).toBe('submitFailed');
    expect(await casesOf(c.who.id)).toHaveLength(0);

    const retried = await c.send({ type: 'choice', id: 'submitFailed:retry' }, working);
    announcedNumber(retried);
    expect(await casesOf(c.who.id)).toHaveLength(1);
  });
});

describe('a submission that crashes in the services', () => {
  it('takes the machine’s submitFailed path without a crash, and the draft survives for a retry', async () => {
    // The database dropping the connection mid-write, as the service would surface it.
    const down = engineFor(desk, a, { cases: { ...desk.app.cases, register: () => Promise.reject(new Error('connection reset by peer')) } });
    const c = chat(down);
    await writeReport(c);
    const out = await c.press('summary:submit');
    expect(allText(out)).toContain('系统暂时没能登记成功');
    expect(allText(out)).not.toContain('connection reset');
    expect((await down.inspect(c.who))?.state).toBe('submitFailed');
    announcedNumber(await c.send({ type: 'choice', id: 'submitFailed:retry' }, engineFor(desk, a)));
  });
});

describe('serialization', () => {
  it('runs 20 concurrent updates of one chat one after another, across two engines on two connections', async () => {
    const one = engineFor(desk, a);
    const two = engineFor(desk, b);
    const c = chat(one);
    const { number } = await fileReport(c);
    const before = (await one.inspect(c.who))!.turns;

    const outs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => c.send({ type: 'text', text: `补充情况第${i + 1}条：窗口当时的答复。` }, i % 2 ? two : one)),
    );
    for (const out of outs) expect(allText(out)).toContain(`已补充到 ${number} 号反映中`);
    expect((await one.inspect(c.who))!.turns).toBe(before + 20);
    const supplements = (await desk.caseDoc(number)).handling.filter((h) => h.kind === 'supplement').map((h) => h.text);
    expect(new Set(supplements).size).toBe(20);
  });
});

describe('de-duplication', () => {
  it('handles a redelivered update once and answers it again, even when both deliveries arrive at once', async () => {
    const one = engineFor(desk, a);
    const two = engineFor(desk, b);
    const c = chat(one);
    const { number } = await fileReport(c);
    const before = (await one.inspect(c.who))!.turns;

    const first = await c.say('营业执照原件的照片稍后补发。', 'u-1');
    expect(allText(first)).toContain('已补充');
    // The first answer may never have reached the citizen: the redelivery gives it again.
    expect(await c.say('营业执照原件的照片稍后补发。', 'u-1')).toEqual(first);
    const raced = await Promise.all([c.send({ type: 'text', text: '另一条补充', updateId: 'u-2' }, one), c.send({ type: 'text', text: '另一条补充', updateId: 'u-2' }, two)]);
    expect(raced[0]).toEqual(raced[1]);
    expect(allText(raced[0])).toContain('已补充');
    // An older update, answered before later ones, is not answered again out of order.
    expect(await c.say('营业执照原件的照片稍后补发。', 'u-1')).toEqual([]);

    expect((await one.inspect(c.who))!.turns).toBe(before + 2);
    const supplements = (await desk.caseDoc(number)).handling.filter((h) => h.kind === 'supplement');
    expect(supplements).toHaveLength(2);
  });
});

/**
 * A coordination whose every call after the first `healthy` ones fails, as if the process died
 * there. A dead process's lock stays until its lease runs out; here it is freed at once (the
 * write is not made), so the redelivery need not wait out the lease.
 */
function crashingAfter(inner: Coordination, healthy: number): { coordination: Coordination } {
  let calls = 0;
  const failing = new Set(['set', 'compareAndSet', 'getVersioned', 'get', 'setIfAbsent', 'takeToken', 'withLock', 'openTurn', 'closeTurn']);
  const coordination = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || !failing.has(String(prop))) return value;
      return async (...args: unknown[]) => {
        if (prop === 'withLock') {
          // The lock itself is taken; what runs inside it crashes through the same counter.
          const [key, lease, fn, o] = args as Parameters<Coordination['withLock']>;
          return target.withLock(key, lease, fn, o);
        }
        if (++calls > healthy) {
          if (prop === 'closeTurn') {
            const [key, lock] = args as Parameters<Coordination['closeTurn']>;
            await target.closeTurn(key, lock, null);
          }
          throw new Error('process died here');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { coordination };
}

describe('a crash at any point of a turn', () => {
  it('registers the report once and tells the citizen its number on the redelivery, wherever the first attempt died', async () => {
    for (let healthy = 0; ; healthy++) {
      const c = chat(engineFor(desk, a));
      await writeReport(c);
      const { coordination } = crashingAfter(a, healthy);
      const died = await c.send({ type: 'choice', id: 'summary:submit', updateId: 'submit' }, engineFor(desk, coordination)).then(
        () => false,
        () => true,
      );
      if (!died) break;
      // The platform redelivers to a healthy process.
      const out = await c.press('summary:submit', 'submit');
      const number = announcedNumber(out);
      expect(await casesOf(c.who.id)).toHaveLength(1);
      expect((await desk.caseDoc(number)).reporter.identity).toEqual(c.who);
    }
  });

  it('adds a supplement once and answers the redelivery, wherever the first attempt died', async () => {
    for (let healthy = 0; ; healthy++) {
      const c = chat(engineFor(desk, a));
      const { number } = await fileReport(c);
      const { coordination } = crashingAfter(a, healthy);
      const died = await c.send({ type: 'text', text: '补充：窗口说要等一周。', updateId: 'sup' }, engineFor(desk, coordination)).then(
        () => false,
        () => true,
      );
      const out = await c.say('补充：窗口说要等一周。', 'sup');
      expect(allText(out)).toContain(`已补充到 ${number} 号反映中`);
      expect((await desk.caseDoc(number)).handling.filter((h) => h.kind === 'supplement')).toHaveLength(1);
      if (!died) break;
    }
  });
});

describe('malformed updates', () => {
  it.each([
    ['an unknown attachment kind', { type: 'attachment', kind: 'hologram', ref: 'file-1' }],
    ['a text that is not a string', { type: 'text', text: 42 }],
    ['an oversized reference', { type: 'attachment', kind: 'photo', ref: 'x'.repeat(100_000) }],
    ['an event only the engine may step', { type: 'submitted', caseNumber: '20261124001' }],
  ])('refuses %s with an answer in Chinese before anything happens', async (_what, input) => {
    const engine = engineFor(desk, a);
    const c = chat(engine);
    const { number } = await fileReport(c);
    const before = await engine.inspect(c.who);
    const bad = { ...input, updateId: 'bad-1' } as unknown as Parameters<typeof c.send>[0];
    const out = await c.send(bad);
    expect(allText(out)).toContain('格式无法识别');
    // A retry of the same update is refused the same way and adds nothing either.
    expect(allText(await c.send(bad))).toContain('格式无法识别');
    expect(await engine.inspect(c.who)).toEqual(before);
    expect((await desk.caseDoc(number)).handling.filter((h) => h.kind === 'supplement')).toHaveLength(0);
  });
});

describe('snapshot expiry', () => {
  it('tells the citizen, starts over, and the case filed before is still found by progress', async () => {
    // Filed under the usual TTL (a slow machine must not expire the dialogue mid-report); the
    // last turn is saved by an engine whose snapshots live 400 ms.
    const engine = engineFor(desk, a, { snapshotTtlMs: 400 });
    const c = chat(engineFor(desk, a));
    const { number } = await fileReport(c);
    await c.send({ type: 'text', text: '再补充一句。' }, engine);
    await vi.waitFor(async () => expect(await engine.inspect(c.who)).toBeNull(), { timeout: 5000, interval: 100 });

    const out = await c.send({ type: 'text', text: '你好，我上次的事怎么样了' }, engine);
    expect(allText(out)).toContain('上次的对话隔得太久已经结束了');
    expect(out.at(-1)?.kind).toBe('choices');
    expect((await engine.inspect(c.who))?.state).toBe('menu');

    await c.press('start:progress');
    const progress = await c.press('progress:mine');
    expect(allText(progress)).toContain(number);
    expect(await casesOf(c.who.id)).toHaveLength(1);
  });

  it('greets a first-time chat without talking about expiry', async () => {
    const c = chat(engineFor(desk, a));
    const out = await c.say('你好');
    expect(allText(out)).not.toContain('隔得太久');
  });
});

describe('rate limit', () => {
  it('answers politely once, in the dialogue language, and leaves the dialogue as it was', async () => {
    const engine = engineFor(desk, a, { rateLimit: { capacity: 3, refillPerSecond: 0.01 } });
    const c = chat(engine);
    await c.say('你好');
    await c.press('start:report');
    await c.press('privacy:agree');
    const before = await engine.inspect(c.who);

    const limited = await c.press('scope:none');
    expect(allText(limited)).toContain('您发得有点快');
    expect(await c.press('scope:none')).toEqual([]);
    expect(await engine.inspect(c.who)).toEqual(before);

    const en = chat(engine, 'telegram', 'en');
    await en.say('hello');
    await en.say('1');
    await en.say('agree');
    expect(allText(await en.say('none'))).toContain('a little fast');
  });
});

describe('bursts and floods', () => {
  it('keeps all 12 short lines a citizen types quickly, with the default limits', async () => {
    const c = chat(engineFor(desk, a));
    const { number } = await fileReport(c);
    const defaults = engineFor(desk, a, { rateLimit: undefined });
    for (let i = 1; i <= 12; i++) expect(allText(await c.send({ type: 'text', text: `第${i}行` }, defaults))).toContain(`已补充到 ${number} 号反映中`);
    expect((await desk.caseDoc(number)).handling.filter((h) => h.kind === 'supplement')).toHaveLength(12);
  });

  it('queues what comes beyond the burst instead of dropping it', async () => {
    const c = chat(engineFor(desk, a));
    const { number } = await fileReport(c);
    const tight = engineFor(desk, a, { rateLimit: { capacity: 3, refillPerSecond: 5 }, burstQueueMs: 5_000 });
    const outs = [];
    for (let i = 1; i <= 10; i++) outs.push(await c.send({ type: 'text', text: `补充${i}` }, tight));
    for (const out of outs) expect(allText(out)).toContain('已补充');
    const texts = (await desk.caseDoc(number)).handling.filter((h) => h.kind === 'supplement').map((h) => h.text);
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `补充${i + 1}`));
  });

  it('holds back mass filing desk-wide with a clear answer, keeping the draft for a retry', async () => {
    // Its own store: the desk-wide bucket must not starve the other tests' submissions.
    const engine = engineFor(desk, createMemoryCoordination(), { submissionLimit: { capacity: 1, refillPerSecond: 1 / 3600 } });
    const first = chat(engine);
    await writeReport(first);
    announcedNumber(await first.press('summary:submit'));
    const second = chat(engine);
    await writeReport(second);
    const held = await second.press('summary:submit');
    expect(allText(held)).toContain('同时提交的反映特别多');
    expect(allText(held)).toContain('您填写的内容都还在');
    expect(await casesOf(second.who.id)).toHaveLength(0);
    expect((await engine.inspect(second.who))?.state).toBe('submitFailed');
  });
});

describe('follow-up buttons', () => {
  it('records the reporter’s rating (the case goes to rehandling) and refuses the same button from another chat', async () => {
    const engine = engineFor(desk, a);
    const c = chat(engine);
    const { number } = await fileReport(c);
    const { cases } = desk.app;
    await cases.classify(number, 'GENERAL', await desk.staff('wangfang'));
    const clerk = await desk.staff('zhangmin');
    await cases.resolve(number, { outcome: 'one_time_notice', text: '已一次性告知需补齐的材料' }, clerk);
    await cases.reply(number, undefined, clerk);

    const stranger = chat(engine);
    const refused = await stranger.press(`fu:${number}:dissatisfied`);
    expect(allText(refused)).toContain('不属于在本账号反映的事项');
    expect((await desk.caseDoc(number)).status).toBe('replied');
    expect(await engine.inspect(stranger.who)).toBeNull();

    const asked = await c.press(`fu:${number}:dissatisfied`);
    expect(allText(asked)).toContain('哪里还没解决');
    const doc = await desk.caseDoc(number);
    expect(doc.status).toBe('rehandling');
    expect(doc.followUps).toHaveLength(1);
    expect(doc.followUps[0]).toMatchObject({ satisfaction: 'dissatisfied', by: { kind: 'citizen' } });

    const thanked = await c.say('材料清单和窗口说的不一致，还是没办成。');
    expect(allText(thanked)).toContain('效能督查科');
    const after = await desk.caseDoc(number);
    expect(after.followUps).toHaveLength(1);
    expect(after.handling.some((h) => h.text.includes('回访意见：材料清单和窗口说的不一致'))).toBe(true);
  });
});

describe('a follow-up button pressed again after a crash', () => {
  it('records the rating once and answers the redelivery, wherever the first attempt died', async () => {
    for (let healthy = 0; ; healthy++) {
      const engine = engineFor(desk, a);
      const c = chat(engine);
      const { number } = await fileReport(c);
      const { cases } = desk.app;
      await cases.classify(number, 'GENERAL', await desk.staff('wangfang'));
      const clerk = await desk.staff('zhangmin');
      await cases.resolve(number, { outcome: 'one_time_notice', text: '已一次性告知需补齐的材料' }, clerk);
      await cases.reply(number, undefined, clerk);
      const { coordination } = crashingAfter(a, healthy);
      const died = await c.send({ type: 'choice', id: `fu:${number}:satisfied`, updateId: 'fu-1' }, engineFor(desk, coordination)).then(
        () => false,
        () => true,
      );
      // The platform redelivers the press to a healthy process.
      const out = await c.press(`fu:${number}:satisfied`, 'fu-1');
      expect(allText(out)).not.toContain('没有记录');
      expect((await desk.caseDoc(number)).followUps).toHaveLength(1);
      if (!died) break;
    }
  });
});

describe('an agitated citizen after filing', () => {
  it('calms them in the chat and flags the case so supervision is told', async () => {
    const c = chat(engineFor(desk, a));
    const { number } = await fileReport(c);
    expect((await desk.caseDoc(number)).agitated).toBe(false);
    const out = await c.say('受够了，跑了三趟还是办不成！');
    expect(allText(out)).toContain('已补充');
    const doc = await desk.caseDoc(number);
    expect(doc.agitated).toBe(true);
    expect(doc.outbox.some((m) => m.reason === 'case.agitated')).toBe(true);
  });
});

describe('effects the services refuse', () => {
  it('tells the citizen a supplement did not land instead of claiming it did', async () => {
    const c = chat(engineFor(desk, a));
    const { number } = await fileReport(c);
    await desk.app.cases.withdraw(number, '已自行解决', desk.citizen(c.who.id));
    const out = await c.say('还有一张照片要补充。');
    expect(allText(out)).toContain(`没能补充到 ${number} 号反映中`);
    expect(allText(out)).not.toContain('已补充');
  });
});
