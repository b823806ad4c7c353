// What one case holds from its citizen's chat is bounded: per case, per day and in size, with
// long material kept as a file outside the case document, and a clear answer when a bound is hit.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAttachmentStore } from '../../services/attachments.js';
import { SUPPLEMENT_LIMITS } from '../../services/cases/citizen.js';
import { type TestDesk, startDesk } from '../support/desk.js';

const dir = mkdtempSync(join(tmpdir(), 'desk-attachments-'));
let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('supplement_bounds', { now: '2026-11-24T10:00:00+08:00', attachments: createFileAttachmentStore(dir) });
});
afterAll(async () => {
  await desk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const who = { channel: 'telegram' as const, id: '7001' };
async function register() {
  const r = await desk.app.cases.register(
    { site: 'city', channel: 'telegram', reporter: { name: '王小明', phone: '13812345678', identity: who }, matter: '企业开办', account: '营业执照变更被要求重复提交材料，来回跑了三趟。' },
    { kind: 'citizen', identity: who },
  );
  if (!r.registered) throw new Error('not registered');
  return r.number;
}

describe('supplement bounds', () => {
  it('keeps a long supplement as a file outside the case document, with its opening words in the case', async () => {
    const n = await register();
    const long = `情况说明：${'窗口要求的材料清单和网上办事指南不一致。'.repeat(200)}`;
    await desk.app.cases.addSupplement(who, n, { text: long });
    const doc = await desk.caseDoc(n);
    const sup = doc.handling.find((h) => h.kind === 'supplement')!;
    expect(sup.text.length).toBeLessThan(400);
    expect(sup.text).toContain(`全文 ${Array.from(long).length} 字`);
    const file = sup.attachments?.[0];
    expect(file?.mime).toBe('text/plain');
    expect(readFileSync(join(dir, String(file?.ref).replace('desk-file:', '')), 'utf8')).toBe(long);
    expect(JSON.stringify(doc).length).toBeLessThan(long.length);
  });

  it('refuses beyond the daily bound with a clear answer, and takes more the next day', async () => {
    const n = await register();
    for (let i = 0; i < SUPPLEMENT_LIMITS.perDay; i++) await desk.app.cases.addSupplement(who, n, { text: `补充第 ${i + 1} 条` });
    await expect(desk.app.cases.addSupplement(who, n, { text: '再补充一条' })).rejects.toThrow(/今天已收到 30 条补充，请明天再发/);
    desk.clock.set('2026-11-25T10:00:00+08:00');
    await desk.app.cases.addSupplement(who, n, { text: '第二天的补充' });
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });

  it('refuses beyond the per-case bound', async () => {
    const n = await register();
    const base = new Date('2026-11-24T10:00:00+08:00').getTime();
    for (let i = 0; i < SUPPLEMENT_LIMITS.perCase; i++) {
      if (i % SUPPLEMENT_LIMITS.perDay === 0) desk.clock.set(new Date(base + (i / SUPPLEMENT_LIMITS.perDay) * 86_400_000));
      await desk.app.cases.addSupplement(who, n, { text: `补充第 ${i + 1} 条` });
    }
    desk.clock.set(new Date(base + 10 * 86_400_000));
    await expect(desk.app.cases.addSupplement(who, n, { text: '再补充一条' })).rejects.toThrow(/已收到 100 条补充，已达上限/);
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });
});
