// Each form the privacy issue found slipping past redaction, written as citizens and staff write
// them, plus the text that must survive (case numbers, dates, amounts, unit names).
import { describe, expect, it } from 'vitest';
import { findIdentifiers, replaceIdentifiers } from '../../services/privacy/detector.js';

const reporter = { name: '张伟', phone: '13900121000' };
const hide = (t: string, person = reporter) => replaceIdentifiers(t, () => '〔〕', person);

// The third element is a label that stays (微信号：〔〕 tells staff a WeChat id was removed).
const FORMS: [string, string, string?][] = [
  ['dots', '139.0012.1000'],
  ['underscores', '139_0012_1000'],
  ['slashes', '139/0012/1000'],
  ['digit by digit', '1 3 9 0 0 1 2 1 0 0 0'],
  ['spaced dashes', '139 - 0012 - 1000'],
  ['country code and brackets', '+86(139)00121000'],
  ['Chinese numerals', '一三九〇〇一二一〇〇〇'],
  ['financial numerals', '壹叁玖零零壹贰壹零零零'],
  ['traditional financial numerals', '壹參玖零零壹貳壹零零零'],
  ['full-width digits', '１３９００１２１０００'],
  ['8-digit local landline', '52731000'],
  ['landline with country code', '+86 512 5273 1000'],
  ['landline with area code', '0512-5273 1000'],
  ['name with a space', '张 伟'],
  ['name with a zero-width space', '张\u200b伟'],
  ['traditional name', '張偉'],
  ['full-width spaced name', '张　伟'],
  ['pinyin', 'zhang wei'],
  ['pinyin capitalised', 'Zhang Wei'],
  ['pinyin surname last', 'Wei Zhang'],
  ['pinyin run together', 'ZHANGWEI'],
  ['ID card number', '320581199001011234'],
  ['ID card number ending in X', '32058119900101123X'],
  ['ID card number spaced', '320581 19900101 1234'],
  ['e-mail address', 'zhangwei1990@163.com'],
  ['full-width e-mail', 'ｚｗ１９９０＠ｑｑ．ｃｏｍ'],
  ['WeChat id', '微信号：zw_19900101', '微信号：'],
  ['WeChat wxid', 'wxid_8k2n3m4p5q'],
  ['WeChat via vx', 'vx zhangwei_88', 'vx '],
  ['QQ number', 'QQ 12345678', 'QQ '],
  ['QQ number in Chinese', '扣扣号是八七六五四三二一', '扣扣号是'],
  // Found by the property test: a part of the number reads as a protected date (2004-01-10, 2058-04-09).
  ['ID card number spaced, born in the 2000s', '110105 20040110 6833'],
  ['mobile whose tail reads as a date', '+86(195)20580409'],
  ['home address', '住海虞镇福山村5组'],
  ['home address in numerals', '家住虞山街道甸桥村五组十二号'],
  ['street address', '海虞北路88号3幢201室'],
];

describe('identifier detector', () => {
  for (const [what, written, label = ''] of FORMS) {
    it(`removes ${what}: ${written}`, () => {
      expect(hide(`我反映的事：${written}。请处理`)).toBe(`我反映的事：${label}〔〕。请处理`);
    });
  }

  it('removes a mobile told in two halves', () => {
    expect(hide('电话前七位1390012，后四位1000')).toBe('电话前七位〔〕，后四位〔〕');
  });

  it('removes the head of any mobile and any local landline without knowing the reporter', () => {
    expect(hide('手机前七位1390012', {} as typeof reporter)).toBe('手机前七位〔〕');
    expect(hide('电话5273 1000', {} as typeof reporter)).toBe('电话〔〕');
  });

  it('keeps what is not an identifier: case numbers, dates, times, amounts, units', () => {
    const keep = [
      '事项 20261124001 于 2026-11-24 10:00 受理，收费 120 元',
      '转办单 YS20261124002-1 应反馈时间 2026年12月1日 17:00',
      '海虞镇 虞山街道 居住证明 住建局 住房和城乡建设局 12345热线 市场准入166号综合窗口',
      '罚款 12000000 元，面积 300 平',
      '第 3 次来，2 个窗口',
    ];
    for (const t of keep) expect(findIdentifiers(t, reporter), t).toEqual([]);
  });

  it('maps hits back to the characters the person wrote', () => {
    const text = '找張\u200b偉，电话一三九〇〇一二一〇〇〇';
    const hits = findIdentifiers(text, reporter);
    expect(hits.map((h) => [h.kind, text.slice(h.start, h.end)])).toEqual([
      ['name', '張\u200b偉'],
      ['phone', '一三九〇〇一二一〇〇〇'],
    ]);
  });

  it('in log mode leaves timestamps and counters but not phones or ids', () => {
    const line = '{"time":1764758400000,"scanned":123456789,"chat":"wechat:wxid_abc123","msg":"call 13900121000 id 320581199001011234"}';
    const out = replaceIdentifiers(line, () => '***', undefined, { mode: 'log' });
    expect(out).toBe('{"time":1764758400000,"scanned":123456789,"chat":"***","msg":"call *** id ***"}');
  });
});
