// What the citizen reads is what the desk wrote: long texts split below Telegram's limit without
// losing or cutting a character (emoji included), and every text escaped for HTML parse mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, splitText } from '../../bots/telegram/render.js';
import { parseTelegramHtml } from '../support/bot-api-fake/html.js';

describe('splitting long texts', () => {
  it('keeps every part within the limit, splits no surrogate pair, and loses only the breaks it split at', () => {
    const piece = fc.oneof(fc.constantFrom('\n', ' ', '。', '😀', '办', 'a'), fc.string({ maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.integer({ min: 8, max: 200 }), (pieces, limit) => {
        const text = pieces.join('');
        const parts = splitText(text, limit);
        for (const p of parts) {
          expect(p.length).toBeLessThanOrEqual(limit);
          expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(p)).toBe(false);
        }
        // Removing the split points from the text gives the parts back, in order.
        const joined = parts.join('');
        expect(joined.replace(/[\n ]/g, '')).toBe(text.replace(/[\n ]/g, ''));
      }),
    );
  });

  it('sends a text at the limit as one message', () => {
    expect(splitText('办'.repeat(4096))).toHaveLength(1);
    expect(splitText('办'.repeat(4097))).toHaveLength(2);
  });
});

describe('escaping', () => {
  it('shows any text exactly as written once Telegram parses the HTML', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (t) => {
        const parsed = parseTelegramHtml(escapeHtml(t));
        expect(parsed).toEqual({ ok: true, text: t });
      }),
    );
  });
});
