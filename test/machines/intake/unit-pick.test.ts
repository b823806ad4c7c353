// The unit question when the desk cannot be sure which unit the citizen means: the dialogue asks
// them to pick from the likely ones (or "none of these") and keeps what they typed either way.
import { describe, expect, it } from 'vitest';
import type { IntakeDraft, IntakeEvent } from '../../../machines/intake/index.js';
import { press, run, say } from './helpers.js';

const TO_UNIT: IntakeEvent[] = [
  say('你好'),
  say('1'),
  say('同意'),
  say('都不涉及'),
  say('义务教育入学'),
  say('4'),
  say('孩子入学资格审核，教育局不在中心办公，找不到人，来回跑了三次。'),
  say('说完了'),
];
const options = [
  { code: 'jyj', name: '市教育局' },
  { code: 'zjj', name: '市住房和城乡建设局' },
];
const matched = (words: string, certain = false, opts = options): IntakeEvent => ({ type: 'unitMatched', words, options: opts, certain });
const submitted = (events: IntakeEvent[]) => {
  const r = run([...events, say('确认提交')]);
  return (r.effects.find((e) => e.type === 'submitCase') as { draft: IntakeDraft }).draft;
};

describe('naming the unit', () => {
  it('asks the engine which units the words may mean, keeping the words as typed', () => {
    const r = run([...TO_UNIT, say('教育局和住建局')]);
    expect(r.effects).toEqual([{ type: 'matchUnit', words: '教育局和住建局' }]);
    expect(r.snapshot.context.draft?.involvedUnit).toBe('教育局和住建局');
  });

  it('uncertain: offers the likely units and "none of these", then goes on to the name', () => {
    const r = run([...TO_UNIT, say('教育局和住建局'), matched('教育局和住建局')]);
    expect(r.snapshot.value).toBe('unitPick');
    expect(r.replies).toEqual([
      {
        key: 'unitPick.ask',
        params: { words: '教育局和住建局' },
        choices: [
          { id: 'unitPick:code:jyj', key: 'unitPick.option', params: { name: '市教育局' } },
          { id: 'unitPick:code:zjj', key: 'unitPick.option', params: { name: '市住房和城乡建设局' } },
          { id: 'unitPick:none', key: 'choice.unitPick.none' },
        ],
      },
    ]);
    const next = run([say('2')], r.snapshot);
    expect(next.snapshot.value).toBe('name');
    expect(next.snapshot.context.draft?.unitMatch).toEqual({ code: 'zjj', suggested: ['jyj', 'zjj'], picked: true });
  });

  it.each([
    [press('unitPick:code:jyj'), 'jyj'],
    [say('市教育局'), 'jyj'],
    [say('1'), 'jyj'],
    [say('3'), null],
    [say('都不是'), null],
    [press('unitPick:none'), null],
  ])('the pick %j means %s, and the typed words go to the desk with the suggestions', (answer, code) => {
    const draft = submitted([...TO_UNIT, say('教育局和住建局'), matched('教育局和住建局'), answer, say('王小明'), say('13812345678')]);
    expect(draft.involvedUnit).toBe('教育局和住建局');
    expect(draft.unitMatch).toEqual({ code, suggested: ['jyj', 'zjj'], picked: true });
  });

  it('anything else is asked again; commands still work', () => {
    const r = run([...TO_UNIT, say('教育局和住建局'), matched('教育局和住建局'), say('随便')]);
    expect(r.snapshot.value).toBe('unitPick');
    expect(r.keys).toEqual(['answer.notUnderstood', 'unitPick.ask']);
    expect(run([{ type: 'command', name: 'cancel' }], r.snapshot).snapshot.value).toBe('menu');
  });

  it('certain: no question, the match is kept and the dialogue stays where it was', () => {
    const r = run([...TO_UNIT, say('教育局'), matched('教育局', true, [options[0]])]);
    expect(r.snapshot.value).toBe('name');
    expect(r.replies).toEqual([]);
    expect(r.snapshot.context.draft?.unitMatch).toEqual({ code: 'jyj', suggested: ['jyj'], picked: false });
  });

  it('an answer for words the citizen has since changed is ignored', () => {
    const r = run([...TO_UNIT, say('教育局'), say('王小明'), matched('住建局')]);
    expect(r.snapshot.value).toBe('phone');
    expect(r.snapshot.context.draft?.unitMatch).toBeUndefined();
  });

  it('changing the unit from the summary asks again and returns to the summary', () => {
    const base = [...TO_UNIT, say('教育局'), matched('教育局', true, [options[0]]), say('王小明'), say('13812345678')];
    const r = run([...base, press('summary:edit'), press('edit:unit'), say('教育局和住建局'), matched('教育局和住建局'), say('2')]);
    expect(r.snapshot.value).toBe('summary');
    expect(r.snapshot.context.draft?.unitMatch?.code).toBe('zjj');
  });
});
