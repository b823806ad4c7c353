// Telegram's HTML parse mode, as the Bot API documents it: only these tags, every <, > and &
// outside a tag written as an entity, tags closed in order. What Telegram refuses is refused here
// with Telegram's wording, so a bot that echoes user text unescaped fails in the tests too.

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type HtmlResult = { ok: true; text: string } | { ok: false; description: string };

const bad = (what: string, at: number): HtmlResult => ({
  ok: false,
  description: `Bad Request: can't parse entities: ${what} at byte offset ${at}`,
});

/** The plain text Telegram would show for `html`, or the error it answers. */
export function parseTelegramHtml(html: string): HtmlResult {
  let out = '';
  const open: string[] = [];
  let i = 0;
  const byteAt = (k: number) => Buffer.byteLength(html.slice(0, k), 'utf8');
  while (i < html.length) {
    const c = html[i];
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return bad('Unclosed start tag', byteAt(i));
      const inner = html.slice(i + 1, end);
      const closing = inner.startsWith('/');
      const name = (closing ? inner.slice(1) : inner).trim().split(/\s/)[0]?.toLowerCase() ?? '';
      if (!name) return bad(closing ? 'Empty end tag' : 'Empty tag name', byteAt(i));
      if (closing) {
        const top = open.pop();
        if (top !== name) return bad(`Unmatched end tag "${name}"`, byteAt(i));
      } else {
        if (!TAGS.has(name)) return bad(`Unsupported start tag "${name}"`, byteAt(i));
        if (name === 'a' && !/\bhref\s*=/.test(inner)) return bad('Tag "a" must have attribute "href"', byteAt(i));
        open.push(name);
      }
      i = end + 1;
      continue;
    }
    if (c === '>') return bad('Unexpected ">"', byteAt(i));
    if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(html.slice(i));
      if (!m) return bad('Character entity expected', byteAt(i));
      const e = m[1];
      if (e.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(e.slice(2), 16));
      else if (e.startsWith('#')) out += String.fromCodePoint(Number.parseInt(e.slice(1), 10));
      else if (NAMED[e] !== undefined) out += NAMED[e];
      else return bad(`Unsupported HTML entity "&${e};"`, byteAt(i));
      i += m[0].length;
      continue;
    }
    out += c;
    i += 1;
  }
  if (open.length) return bad(`Can't find end tag corresponding to start tag "${open[open.length - 1]}"`, Buffer.byteLength(html, 'utf8'));
  return { ok: true, text: out };
}
