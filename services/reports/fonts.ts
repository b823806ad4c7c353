// The CJK font every PDF and chart is drawn with: Noto Sans SC from the npm package
// @expo-google-fonts/noto-sans-sc (SIL Open Font License), so `npm ci` is all a machine needs.
// REPORT_FONT may name another TrueType file (e.g. Debian fonts-wqy-microhei's
// /usr/share/fonts/truetype/wqy/wqy-microhei.ttc with REPORT_FONT_FACE=WenQuanYi Micro Hei).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ReportFont {
  path: string;
  /** Face name inside a .ttc collection; undefined for a plain .ttf. */
  face?: string;
  bold: { path: string; face?: string };
}

const require = createRequire(import.meta.url);
const PACKAGE = '@expo-google-fonts/noto-sans-sc';

export class ReportFontError extends Error {
  override readonly name = 'ReportFontError';
}

export function reportFont(env: NodeJS.ProcessEnv = process.env): ReportFont {
  if (env.REPORT_FONT) {
    const face = env.REPORT_FONT_FACE || undefined;
    return { path: env.REPORT_FONT, face, bold: { path: env.REPORT_FONT, face } };
  }
  try {
    return {
      path: require.resolve(`${PACKAGE}/400Regular/NotoSansSC_400Regular.ttf`),
      bold: { path: require.resolve(`${PACKAGE}/700Bold/NotoSansSC_700Bold.ttf`) },
    };
  } catch {
    throw new ReportFontError(`No CJK font for reports: install ${PACKAGE} (npm ci does) or set REPORT_FONT to a .ttf/.ttc file.`);
  }
}

const cache = new Map<string, Buffer>();
/** The font file's bytes, read once per process: every PDF embeds a subset of them. */
export function fontBytes(path: string): Buffer {
  let b = cache.get(path);
  if (!b) {
    b = readFileSync(path);
    cache.set(path, b);
  }
  return b;
}
