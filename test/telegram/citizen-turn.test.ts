// How one dialogue turn is shown, against the Bot API fake: a menu marked replaceable takes the
// place of the menu just answered (edited, not posted again); otherwise the answered menu keeps
// its question and shows the choice, and the next menu is the one live keyboard.
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { menuKey, showTurn } from '../../bots/telegram/citizen/turn.js';
import { callbackCodec } from '../../bots/telegram/render.js';
import type { Models } from '../../models/index.js';
import { ManualClock } from '../../services/clock.js';
import { createMemoryCoordination } from '../../services/coordination/index.js';
import { createLogger } from '../../services/logger.js';
import { BotApiFake } from '../support/bot-api-fake/index.js';

let fake: BotApiFake;
beforeAll(async () => {
  fake = await new BotApiFake().start();
});
afterAll(() => fake.stop());

function deps() {
  const coordination = createMemoryCoordination();
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  return {
    api,
    codec: callbackCodec(coordination),
    coordination,
    // Nothing is handed to delivery in these turns (Telegram answers every call).
    models: {} as Models,
    clock: new ManualClock('2026-11-24T10:00:00+08:00'),
    logger: createLogger({ level: 'silent', pretty: false }),
    kick: () => {},
  };
}

const ask = (text: string, ids: string[], replaceable?: boolean) => ({ kind: 'choices' as const, text, choices: ids.map((id) => ({ id, label: id })), ...(replaceable ? { replaceable } : {}) });

describe('showing a turn', () => {
  it('edits the answered menu into a replaceable next menu instead of posting it', async () => {
    const d = deps();
    const u = fake.user({ id: 9101 });
    u.send('hi');
    await showTurn(d, { chatId: u.id, site: 'city', updateId: 1, replies: [ask('选一个', ['a', 'b'])] });
    const [first] = fake.sent(u.id);
    await showTurn(d, { chatId: u.id, site: 'city', updateId: 2, replies: [ask('再选一个', ['c', 'd'], true)], pressed: { messageId: first.message_id, text: first.text!, label: 'a' } });
    expect(fake.sent(u.id)).toHaveLength(1);
    expect(fake.sent(u.id)[0]).toMatchObject({ message_id: first.message_id, text: '再选一个' });
    expect(fake.sent(u.id)[0].reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['c', 'd']);
    expect(await d.coordination.get(menuKey(u.id))).toBe(String(first.message_id));
  });

  it('otherwise shows the choice on the answered menu and makes the new menu the live one', async () => {
    const d = deps();
    const u = fake.user({ id: 9102 });
    u.send('hi');
    await showTurn(d, { chatId: u.id, site: 'city', updateId: 1, replies: [ask('选一个', ['a', 'b'])] });
    const [first] = fake.sent(u.id);
    await showTurn(d, { chatId: u.id, site: 'city', updateId: 2, replies: [{ kind: 'text', text: '好的' }, ask('再选一个', ['c'])], pressed: { messageId: first.message_id, text: first.text!, label: 'a' } });
    const shown = fake.sent(u.id);
    expect(shown.map((m) => m.text)).toEqual(['选一个\n\n✔ a', '好的', '再选一个']);
    expect(shown.filter((m) => m.reply_markup).map((m) => m.message_id)).toEqual([shown[2].message_id]);
    expect(await d.coordination.get(menuKey(u.id))).toBe(String(shown[2].message_id));
    // A typed answer next: the live menu loses its buttons when the dialogue moves on.
    await showTurn(d, { chatId: u.id, site: 'city', updateId: 3, replies: [{ kind: 'text', text: '请描述经过' }] });
    expect(fake.sent(u.id).filter((m) => m.reply_markup)).toEqual([]);
    expect(await d.coordination.get(menuKey(u.id))).toBeNull();
  });

  it('sends choice ids longer than Telegram’s 64 bytes as a hash it maps back', async () => {
    const d = deps();
    const u = fake.user({ id: 9103 });
    u.send('hi');
    const long = `fu:${'9'.repeat(14)}:basically_satisfied:${'x'.repeat(60)}`;
    await showTurn(d, { chatId: u.id, site: 'city', updateId: 1, replies: [ask('评价', [long])] });
    const data = fake.sent(u.id)[0].reply_markup!.inline_keyboard[0][0].callback_data!;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(await d.codec.decode(data)).toBe(long);
  });
});
