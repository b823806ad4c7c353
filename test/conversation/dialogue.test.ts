// The stored form of a dialogue: a JSON round trip resumes exactly where the citizen was, it
// stays small, and anything unreadable is refused so the engine starts over (and says so).
import { describe, expect, it } from 'vitest';
import { IntakeSnapshotError, step } from '../../machines/intake/index.js';
import { decodeDialogue, encodeDialogue, newDialogue } from '../../services/conversation/dialogue.js';
import { matchUnit } from '../../services/conversation/index.js';
import { TO_SUMMARY } from '../machines/intake/helpers.js';

function atSummary() {
  const d = newDialogue('zh');
  for (const e of TO_SUMMARY) d.snapshot = step(d.snapshot, e).snapshot;
  return d;
}

describe('stored dialogue', () => {
  it('resumes at the same question with the same answers after a round trip', () => {
    const d = { ...atSummary(), turns: 11, ratedCase: '20261124001' };
    const back = decodeDialogue(encodeDialogue(d));
    expect(back.snapshot.value).toBe('summary');
    expect(back.snapshot.context).toEqual({ ...d.snapshot.context, outbox: [], effects: [] });
    expect(back).toMatchObject({ id: d.id, turns: 11, ratedCase: '20261124001' });
    // The resumed dialogue answers like the original.
    expect(step(back.snapshot, { type: 'choice', id: 'summary:submit' }).effects).toEqual(
      step(d.snapshot, { type: 'choice', id: 'summary:submit' }).effects,
    );
  });

  it('keeps a whole report under 500 bytes and a fresh dialogue under 100', () => {
    expect(Buffer.byteLength(encodeDialogue(atSummary()))).toBeLessThan(500);
    expect(Buffer.byteLength(encodeDialogue(newDialogue('en')))).toBeLessThan(100);
  });

  it('stores the account once even though the summary it was last answered with repeats it, and replays that answer exactly', () => {
    const d = atSummary();
    const shown = step(d.snapshot, { type: 'text', text: '138 1234 5678' });
    const account = d.snapshot.context.draft!.account;
    const lastReply = [
      { kind: 'choices' as const, text: `请核对：\n经过：${account}\n事项：${d.snapshot.context.draft!.matter}`, choices: [{ id: 'summary:submit', label: '确认提交' }] },
      { kind: 'text' as const, text: '无重复内容' },
    ];
    const withReply = { ...d, snapshot: shown.snapshot, seen: ['512000123', '512000130'], lastReply };
    const raw = encodeDialogue(withReply);
    expect(raw.split(JSON.stringify(account).slice(1, -1)).length - 1).toBe(1);
    const back = decodeDialogue(raw);
    expect(back.lastReply).toEqual(lastReply);
    expect(back.seen).toEqual(['512000123', '512000130']);
  });

  it('keeps update ids that are not numbers as they are', () => {
    const d = { ...newDialogue('zh'), seen: ['wx-msg-1', '0042', '7'], lastReply: [] };
    expect(decodeDialogue(encodeDialogue(d)).seen).toEqual(['wx-msg-1', '0042', '7']);
  });

  it('still resumes a dialogue stored in the first format', () => {
    const d = atSummary();
    const c = { step: 'summary', draft: d.snapshot.context.draft };
    const raw = JSON.stringify({ v: 1, d: 'old', t: 9, s: 'summary', c, u: ['5', '6'], o: [{ kind: 'text', text: '上次的回答' }] });
    const back = decodeDialogue(raw);
    expect(back.snapshot.context.draft).toEqual(d.snapshot.context.draft);
    expect(back).toMatchObject({ id: 'old', turns: 9, seen: ['5', '6'], lastReply: [{ kind: 'text', text: '上次的回答' }] });
  });

  it.each([
    ['not JSON', '{'],
    ['an old format', JSON.stringify({ v: 0, d: 'x', t: 1, s: 'menu', c: {} })],
    ['an unknown state', JSON.stringify({ v: 1, d: 'x', t: 1, s: 'nowhere', c: {} })],
  ])('refuses %s', (_what, raw) => {
    expect(() => decodeDialogue(raw)).toThrow(IntakeSnapshotError);
  });
});

describe('matchUnit', () => {
  const units = [
    { _id: 'bdc', name: '不动产登记窗口' },
    { _id: 'scrz', name: '市场准入综合窗口' },
    { _id: 'shebao', name: '人社医保综合窗口' },
  ];
  it.each([
    ['不动产登记窗口', 'bdc'],
    ['不动产登记', 'bdc'],
    ['在 市场准入综合窗口 那里', 'scrz'],
    ['BDC', 'bdc'],
  ])('reads %s as %s', (words, code) => expect(matchUnit(words, units)).toBe(code));

  it.each(['3号窗口', '综合窗口', '窗口', ''])('does not guess a unit from %s', (words) => expect(matchUnit(words, units)).toBeNull());
});
