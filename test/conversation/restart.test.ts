// A desk without Redis, restarted over the same data directory (issue 15: "after a restart an
// unfinished dialogue is dropped without a word"): the citizen carries on where they were.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../app.js';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import type { ConversationInput } from '../../services/conversation/index.js';
import { allText, announcedNumber } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'desk-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = () =>
  createApp({ config: { LOG_LEVEL: 'silent' }, embeddedDataDir: dir, calendarOverrides: {}, channels: [], workers: false });

describe('a restart of a desk without Redis', () => {
  it('resumes a half-written report at the question it was on, and files it once', async () => {
    const who: ChannelIdentity = { channel: 'telegram', id: 'restart-1' };
    let app: App = await start();
    const send = (input: ConversationInput) => app.conversation.handle(who, input);
    try {
      await send({ type: 'command', name: 'start' });
      await send({ type: 'choice', id: 'start:report' });
      await send({ type: 'choice', id: 'privacy:agree' });
      await send({ type: 'choice', id: 'scope:none' });
      await send({ type: 'text', text: '营业执照变更' });
      await send({ type: 'choice', id: 'problem:complex' });
      await app.stop();

      app = await start();
      const out = await send({ type: 'text', text: '窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。' });
      // Still in the report: the account is taken, not answered with a welcome.
      expect(allText(out)).not.toContain('欢迎');
      expect((await app.conversation.inspect(who))?.state).toBe('account');
      await send({ type: 'choice', id: 'account:done' });
      await send({ type: 'text', text: '市场准入综合窗口' });
      await send({ type: 'text', text: '张三' });
      await send({ type: 'text', text: '138 1234 5678' });
      const number = announcedNumber(await send({ type: 'choice', id: 'summary:submit', updateId: 'submit' }));
      expect(await app.models.Case.countDocuments({ 'reporter.identity.id': who.id })).toBe(1);
      expect((await app.models.Case.findOne({ number }).lean())?.matter).toBe('营业执照变更');
    } finally {
      await app.stop();
    }
  });
});
