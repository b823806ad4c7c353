// A window's poster: the site's name, where its window is, and a QR code of the bot's deep link
// `https://t.me/<bot>?start=s_<site>`, which opens the chat with the report already addressed to
// that window. A4 at 150 dpi, black on white so any office printer does it justice; the QR code
// is drawn module by module (no scaling blur) with a quiet zone of four modules.
import { createRequire } from 'node:module';
import { GlobalFonts, createCanvas } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import { telegramZh } from '../../services/locales/zh/telegram.js';

export const POSTER_SIZE = { width: 1240, height: 1754 } as const;
const FONT_FAMILY = 'DeskPosterCJK';
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';

/** The start link for reports to `site`. */
export const siteStartLink = (botUsername: string, site: string) => `https://t.me/${botUsername}?start=s_${site}`;

export class PosterFontError extends Error {
  override readonly name = 'PosterFontError';
}

let registered: string | undefined;
/** Registers the CJK font once: `font` (POSTER_FONT) if given, else Noto Sans SC from npm. */
function ensureFont(font: string | undefined): void {
  const require = createRequire(import.meta.url);
  let path = font;
  if (!path) {
    try {
      path = require.resolve(`${FONT_PACKAGE}/700Bold/NotoSansSC_700Bold.ttf`);
    } catch {
      throw new PosterFontError(`No CJK font for the poster: install ${FONT_PACKAGE} (npm ci does) or set POSTER_FONT to a .ttf/.otf file.`);
    }
  }
  if (registered === path) return;
  if (!GlobalFonts.registerFromPath(path, FONT_FAMILY)) throw new PosterFontError(`POSTER_FONT ${path} could not be loaded as a font.`);
  registered = path;
}

export interface PosterInput {
  siteName: string;
  window?: string;
  link: string;
  /** The headline; defaults to the window's name. */
  title?: string;
  lines?: string[];
}

/** Wraps `text` into lines no wider than `max` pixels (Chinese breaks anywhere, so by character). */
function wrap(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (ctx.measureText(line + ch).width > max && line) {
      lines.push(line);
      line = ch;
    } else line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderPoster(p: PosterInput, o: { font?: string } = {}): Buffer {
  ensureFont(o.font);
  const { width, height } = POSTER_SIZE;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const margin = 90;
  let y = 110;
  const block = (text: string, size: number, gap: number) => {
    ctx.font = `${size}px ${FONT_FAMILY}`;
    for (const line of wrap(ctx, text, width - 2 * margin)) {
      ctx.fillText(line, width / 2, y);
      y += size * 1.3;
    }
    y += gap;
  };
  block(p.title ?? telegramZh.posterTitle, 96, 20);
  block(p.siteName, 60, 10);
  if (p.window) block(p.window, 44, 0);

  // The QR code, as large as the space left allows, in whole pixels per module.
  const qr = QRCode.create(p.link, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const side = Math.min(width - 2 * margin, height - y - 380);
  const cell = Math.floor(side / (n + 2 * quiet));
  const qrSide = cell * (n + 2 * quiet);
  const x0 = Math.floor((width - qrSide) / 2);
  const y0 = Math.floor(y + 40);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) ctx.fillRect(x0 + (c + quiet) * cell, y0 + (r + quiet) * cell, cell, cell);
  y = y0 + qrSide + 40;
  const lines = p.lines ?? telegramZh.posterLines;
  for (const [i, line] of lines.entries()) block(line, i === 0 ? 48 : 36, 6);
  ctx.font = `28px ${FONT_FAMILY}`;
  ctx.fillText(p.link, width / 2, Math.min(y + 10, height - 70));
  return canvas.toBuffer('image/png');
}
