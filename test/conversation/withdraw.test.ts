// Withdrawal from the chat against real Redis and a whole desk: the reporter's case really
// closes as withdrawn; nobody else's chat can withdraw it, however it tries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coordination } from '../../services/coordination/index.js';
import { newDialogue } from '../../services/conversation/dialogue.js';
import { createEffectRunner } from '../../services/conversation/effects.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { allText, announcedNumber, chat, engineFor, redisFixture, writeReport } from './harness.js';

let desk: TestDesk;
const redis = redisFixture();
let a: Coordination;

beforeAll(async () => {
  desk = await startDesk('conversation_withdraw');
  a = await redis.connect();
});
afterAll(async () => {
  await redis.close();
  await desk?.close();
});

async function fileReport(c: ReturnType<typeof chat>) {
  await writeReport(c);
  return announcedNumber(await c.press('summary:submit'));
}

describe('a reporter withdraws through the dialogue', () => {
  it('from the menu: confirms, the case is withdrawn by the citizen, and the menu no longer offers it', async () => {
    const engine = engineFor(desk, a);
    const c = chat(engine);
    const number = await fileReport(c);

    const menu = await c.say('菜单');
    const offered = menu.at(-1);
    expect(offered?.kind === 'choices' && offered.choices.map((x) => x.label)).toContain(`撤回这件反映（${number}）`);
    const asked = await c.press('start:withdraw');
    expect(allText(asked)).toContain(`确认要撤回 ${number} 号反映吗`);
    expect((await desk.caseDoc(number)).status).toBe('registered');

    const done = await c.press('withdraw:confirm');
    expect(allText(done)).toContain(`${number} 号反映已撤回`);
    const doc = await desk.caseDoc(number);
    expect(doc.status).toBe('withdrawn');
    expect(doc.timeline.some((t) => t.type === 'withdrawn' && t.text.includes('诉求人本人'))).toBe(true);
    expect(await engine.inspect(c.who)).toMatchObject({ state: 'menu', caseNumber: null });
  });

  it('typed on WeChat: "撤回" finds the one open case, "是" withdraws it', async () => {
    const c = chat(engineFor(desk, a), 'wechat');
    const number = await fileReport(c);
    expect(allText(await c.say('撤回'))).toContain(`确认要撤回 ${number} 号反映吗`);
    expect(allText(await c.say('是'))).toContain('已撤回');
    expect((await desk.caseDoc(number)).status).toBe('withdrawn');
  });

  it('declining leaves the case open', async () => {
    const c = chat(engineFor(desk, a));
    const number = await fileReport(c);
    await c.say('撤回');
    expect(allText(await c.say('不撤回'))).toContain('继续办理');
    expect((await desk.caseDoc(number)).status).toBe('registered');
  });

  it('a case closed between the question and the answer is not withdrawn, and the desk says why', async () => {
    const c = chat(engineFor(desk, a));
    const number = await fileReport(c);
    await c.say('撤回');
    await desk.app.cases.withdraw(number, '来电要求撤回', await desk.staff('zhangmin'));
    const out = await c.press('withdraw:confirm');
    expect(allText(out)).toContain(`${number} 号反映没有撤回：`);
    expect(allText(out)).not.toContain('已撤回，这件事已结案');
  });
});

describe('someone else’s case', () => {
  it('a stranger’s chat is never offered it, by command or by progress lookup, and the case stays open', async () => {
    const engine = engineFor(desk, a);
    const owner = chat(engine);
    const number = await fileReport(owner);
    const stranger = chat(engine);

    expect(allText(await stranger.say('撤回'))).toContain('没有正在办理中、可以撤回的反映');
    await stranger.say('进度');
    const looked = await stranger.say(number);
    expect(allText(looked)).toContain('没有查到');
    expect(allText(looked)).not.toContain('撤回这件反映');
    expect(allText(await stranger.press('withdraw:confirm'))).toContain('之前问题的选项');
    expect((await desk.caseDoc(number)).status).toBe('registered');
  });

  it('the engine withdraws as the chat’s citizen, so the desk refuses a stranger even with the number in hand', async () => {
    const owner = chat(engineFor(desk, a));
    const number = await fileReport(owner);
    const { app } = desk;
    const runner = createEffectRunner({ cases: app.cases, directory: app.directory, calendar: app.calendar, site: 'city', logger: app.logger, coordination: a });
    const stranger = { channel: 'telegram' as const, id: 'stranger-withdraw' };
    const outcome = await runner.perform({ who: stranger, dialogue: newDialogue('zh'), locale: 'zh' }, { type: 'withdrawCase', caseNumber: number });
    expect(outcome.event).toEqual({ type: 'withdrawFailed', reason: `您无权查看或操作事项 ${number}。` });
    expect((await desk.caseDoc(number)).status).toBe('registered');
  });
});
