// Counting characters the way people do (graphemes), with a shortcut for the texts nearly every
// report is made of: the shortcut must count exactly what segmentation counts.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { characterCount, meaningfulCount } from '../../models/validation.js';

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const segments = (s: string) => Array.from(graphemes.segment(s), (g) => g.segment);

const pieces = fc.constantFrom(
  '窗', '口', '说', '材', '料', '不', '全', '，', '。', '、', '「', '」', '〇', '々', '\u302a', '\u3000', '（', '）', '：', '１', 'Ａ', 'ｚ',
  'a', 'Z', '7', ' ', '!', '-', '\n', '\r\n', '😀', '👨‍👩‍👧', '🇨🇳', 'e\u0301', '한', '\u1100\u1161', 'ﾞ', 'ｶ', '\ufe0f', 'ا', 'क्ष',
);

describe('character counts', () => {
  it('count what grapheme segmentation counts, on CJK, ASCII, emoji, combining marks and any mix', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const s = parts.join('');
        expect(characterCount(s)).toBe(segments(s).length);
        expect(meaningfulCount(s)).toBe(segments(s).filter((g) => /[\p{L}\p{N}]/u.test(g)).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('count a typical account without segmenting it (a segment object per character, on several guards of every step)', () => {
    const account = '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次（第2次换了工作人员）说法又不一样。';
    const words = segments(account).filter((g) => /[\p{L}\p{N}]/u.test(g)).length;
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    expect(meaningfulCount(account)).toBe(words);
    expect(characterCount(account)).toBe(account.length);
    expect(segment).not.toHaveBeenCalled();
    segment.mockRestore();
  });
});
