import { describe, expect, it } from 'vitest';
import {
  ALL_CHOICE_IDS,
  type ChoiceId,
  MENUS,
  matchChoice,
  parseCaseNumber,
  textCommand,
} from '../../../machines/intake/index.js';
import { intakeText } from '../../../services/locales/render-intake.js';
import type { IntakeCopyKey } from '../../../machines/intake/index.js';

const rate = MENUS.rate;

describe('matchChoice', () => {
  it.each([
    ['2', 'rate:basically_satisfied'],
    ['２', 'rate:basically_satisfied'],
    ['选2', 'rate:basically_satisfied'],
    ['第三个', 'rate:dissatisfied'],
    ['满意！', 'rate:satisfied'],
    ['不满意', 'rate:dissatisfied'],
    ['我不满意', 'rate:dissatisfied'],
    ['基本满意吧', 'rate:basically_satisfied'],
    ['Not satisfied', 'rate:dissatisfied'],
  ])('reads %s as %s', (text, id) => {
    expect(matchChoice(text, rate)).toBe(id);
  });

  it('does not read a sentence as an answer', () => {
    expect(matchChoice('我对窗口的处理很满意但是还有一个问题想问一下', rate)).toBeNull();
  });

  it('rejects numbers that are not on the menu', () => {
    expect(matchChoice('4', rate)).toBeNull();
  });

  it('reads "不涉及诉讼" as none, not as litigation', () => {
    expect(matchChoice('不涉及诉讼', MENUS.scope)).toBe('scope:none');
  });

  it('on free-text questions only a whole word counts', () => {
    expect(matchChoice('不清楚', MENUS.unit, true)).toBe('unit:unknown');
    expect(matchChoice('不清楚是哪个窗口，好像是社保', MENUS.unit, true)).toBeNull();
  });

  // Citizens on WeChat type what they see: every label, in both languages, must be understood.
  it.each(ALL_CHOICE_IDS.flatMap((id) => (['zh', 'en'] as const).map((locale) => [id, locale] as const)))(
    'understands the %s label typed in %s',
    (id: ChoiceId, locale) => {
      const menu = Object.values(MENUS).find((m) => (m as readonly string[]).includes(id)) as readonly ChoiceId[];
      const key = `choice.${id.replace(':', '.')}` as IntakeCopyKey;
      const label = intakeText(key, locale, { caseNumber: '20261124001' }).replace(/[（(].*[)）]$/, '');
      expect(matchChoice(label, menu, true)).toBe(id);
    },
  );
});

describe('textCommand', () => {
  it.each([
    ['取消', 'cancel'],
    [' 菜单 ', 'restart'],
    ['重新开始', 'restart'],
    ['帮助', 'help'],
    ['？', 'help'],
    ['进度', 'progress'],
    ['/start', 'start'],
    ['Cancel', 'cancel'],
  ])('%s is the %s command', (text, name) => {
    expect(textCommand(text)).toBe(name);
  });

  it('a command word inside a sentence is not a command', () => {
    expect(textCommand('窗口说我的申请被取消了')).toBeNull();
  });
});

describe('parseCaseNumber', () => {
  it.each([
    ['20261124001', '20261124001'],
    ['编号是 2026 1124 001', '20261124001'],
    ['bj-2026001', 'BJ-2026001'],
  ])('finds the number in %s', (text, n) => {
    expect(parseCaseNumber(text)).toBe(n);
  });

  it('finds none in words', () => {
    expect(parseCaseNumber('我忘了')).toBeNull();
  });
});
