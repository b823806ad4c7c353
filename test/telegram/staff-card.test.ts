// The staff side's pure parts: the case card, the topic name, signed callback data, and how a
// line typed in a case's topic is addressed. No server: these are functions of their input.
import { describe, expect, it } from 'vitest';
import { createCallbackSigner } from '../../bots/telegram/staff/callback-data.js';
import { renderCard, topicName } from '../../bots/telegram/staff/card.js';
import { addressedLine } from '../../bots/telegram/staff/group.js';
import type { UnitDoc } from '../../models/unit.js';
import { caseDoc } from '../support/case-doc.js';

const names = { unit: (c: string) => ({ jyj: '市教育局', bdc: '不动产登记窗口' })[c] ?? c };
const now = new Date('2026-11-24T03:00:00Z');
const units = [
  { _id: 'jyj', name: '市教育局', site: 'city', kind: 'department', stationed: false, liaisons: [], matters: [], aliases: [] },
] as unknown as UnitDoc[];
const labels = (rows: { label: string }[][]) => rows.flat().map((b) => b.label);

describe('case card', () => {
  it('should show number, suggested category, channel, deadlines and the agitated flag, with the reporter masked', () => {
    const doc = caseDoc({
      suggestedCategory: 'NOT_STATIONED',
      agitated: true,
      reporter: { name: '王小明', phone: '13812345678', identity: { channel: 'telegram', id: '1001' }, locale: 'zh' },
      account: '我叫王小明，电话13812345678，教育局不在中心办公，找不到人。',
      deadlines: { classify: { at: new Date('2026-11-24T04:00:00Z'), provisional: false } },
    });
    const card = renderCard(doc, names, { now, transferUnits: [], forum: true });
    expect(card.html).toContain(doc.number);
    expect(card.html).toContain('建议：未进驻情形');
    expect(card.html).toContain('渠道：Telegram');
    expect(card.html).toContain('情绪激动');
    expect(card.html).toMatch(/时限：分类 2026年11月24日.*12:00 前/);
    // No phone digit and no name in the room, however the citizen wrote them.
    expect(card.html).not.toMatch(/1381234|5678/);
    expect(card.html).not.toContain('王小明');
  });

  it('should escape what the citizen typed', () => {
    const card = renderCard(caseDoc({ matter: '<b>企业</b> & 开办' }), names, { now, transferUnits: [], forum: true });
    expect(card.html).toContain('&lt;b&gt;企业&lt;/b&gt; &amp; 开办');
  });

  it('should offer the five categories while registered, and typed forms for notice, refusal and 被反映单位', () => {
    const card = renderCard(caseDoc(), names, { now, transferUnits: [], forum: true });
    const l = labels(card.buttons);
    expect(l.filter((x) => x.startsWith('分类：'))).toHaveLength(5);
    expect(l).toEqual(expect.arrayContaining(['被反映单位…', '一次性告知…', '不予受理…', '查看详情']));
    expect(card.buttons.flat().find((b) => b.label === '一次性告知…')?.payload).toMatch(/^t:notice:/);
  });

  it('should offer transfer to each unit for a not-stationed case, and resolve for a general one', () => {
    const doc = caseDoc({ status: 'handling', category: 'NOT_STATIONED', lifecycle: { category: 'NOT_STATIONED', transferred: false, rehandlingRounds: 0, agitated: false } });
    const b = renderCard(doc, names, { now, transferUnits: units, forum: true }).buttons.flat();
    expect(b.find((x) => x.label === '转办：市教育局')?.payload).toBe(`#${doc.number} 转办 jyj`);
    // Not stationed: transferred, not resolved at the window.
    expect(b.map((x) => x.label)).not.toContain('办结…');
    const general = caseDoc({ status: 'handling', category: 'GENERAL', lifecycle: { category: 'GENERAL', transferred: false, rehandlingRounds: 0, agitated: false } });
    expect(labels(renderCard(general, names, { now, transferUnits: units, forum: true }).buttons)).toContain('办结…');
  });

  it('should offer follow-up and archive when they are next, and nothing once archived', () => {
    const replied = caseDoc({ status: 'replied', category: 'GENERAL', lifecycle: { category: 'GENERAL', transferred: false, rehandlingRounds: 0, agitated: false } });
    expect(labels(renderCard(replied, names, { now, transferUnits: [], forum: true }).buttons)).toEqual(
      expect.arrayContaining(['回访：满意', '回访：基本满意', '回访：不满意']),
    );
    const verified = { ...replied, status: 'verified' as const };
    expect(labels(renderCard(verified, names, { now, transferUnits: [], forum: true }).buttons)).toContain('备案');
    const archived = renderCard({ ...replied, status: 'archived' }, names, { now, transferUnits: [], forum: true });
    expect(archived.buttons).toEqual([]);
    expect(archived.html).toContain('话题已关闭');
  });

  it('should name the topic with number and matter, within 128 characters and without identity', () => {
    const doc = caseDoc({ matter: `王小明的${'很长的事项'.repeat(40)}` });
    const name = topicName(doc);
    expect(name.startsWith(`${doc.number} `)).toBe(true);
    expect(Array.from(name).length).toBeLessThanOrEqual(128);
    expect(name).not.toContain('王小明');
  });
});

describe('callback data', () => {
  const signer = createCallbackSigner('secret');
  it('should give back the payload it signed for that chat', () => {
    const data = signer.sign(-100123, '#20261124001 分类 一般')!;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(signer.verify(-100123, data)).toBe('#20261124001 分类 一般');
  });
  it('should refuse data it did not sign, and a button replayed from another chat', () => {
    const data = signer.sign(-100123, '#20261124001 分类 一般')!;
    expect(signer.verify(-100123, '#20261124001 办结 办理 好了')).toBeNull();
    expect(signer.verify(-100123, `${data.slice(0, 11)}#20261124001 备案`)).toBeNull();
    expect(signer.verify(-100999, data)).toBeNull();
    expect(createCallbackSigner('other').verify(-100123, data)).toBeNull();
  });
  it('should not sign what would not fit in 64 bytes', () => {
    expect(signer.sign(1, `#20261124001 备注 ${'很长'.repeat(20)}`)).toBeNull();
  });
});

describe('a line typed in a case topic', () => {
  it.each([
    ['#分类 一般', '20261124001', '#20261124001 分类 一般'],
    ['＃备案', '20261124001', '#20261124001 备案'],
    ['#', '20261124001', '#20261124001'],
    ['#20261124002 查看', '20261124001', '#20261124002 查看'],
    ['#列表 超期', '20261124001', '#列表 超期'],
    ['#值班', '20261124001', '#值班'],
    ['#分类 一般', undefined, '#分类 一般'],
  ])('%j in the topic of %s is %j', (text, n, line) => expect(addressedLine(text, n)).toBe(line));
});
