// With Redis out of reach a citizen is told the system is busy, in their language, instead of
// the update failing with an exception the channel can only log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCoordination } from '../../services/coordination/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { allText, chat, engineFor } from './harness.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('conversation_unavailable');
});
afterAll(() => desk?.close());

describe('coordination unavailable', () => {
  it('answers 系统繁忙，请稍后再发 (or the English line) and registers nothing', async () => {
    const coordination = createMemoryCoordination();
    const engine = engineFor(desk, coordination);
    const c = chat(engine);
    await c.say('你好');
    await coordination.close();
    expect(allText(await c.say('还在吗', 'u-down'))).toContain('系统繁忙，请稍后再发');
    expect(allText(await c.send({ type: 'text', text: 'hello', locale: 'en' }))).toContain('The system is busy');
    expect(await desk.app.models.Case.countDocuments({ 'reporter.identity.id': c.who.id })).toBe(0);
  });
});
