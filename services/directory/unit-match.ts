// The citizen names the window or unit in their own words ("教育局", "住建局", "社保窗口",
// "12345"). The case keeps a directory unit code there, because the privacy rule hides the
// reporter from the unit complained about by that code. Names and the directory's aliases are
// compared after the words people add or drop (常熟/市, 的窗口, 那边, spaces, traditional forms);
// only an unambiguous match becomes a code, anything else stays in the account for the duty
// officer to read, never guessed.
import type { UnitDoc } from '../../models/unit.js';
import { normaliseText } from '../privacy/normalise.js';

type Unit = Pick<UnitDoc, '_id' | 'name'> & { aliases?: readonly string[] };

const LEADING = /^(?:在|是|找|去|就是|关于|反映)?(?:江苏省)?(?:苏州市)?(?:常熟市|常熟)?(?:市(?!场))?/u;
const TRAILING = /(?:的)?(?:综合)?(?:受理)?(?:窗口|那边|那里|这边|这里|办事的|办事处|的人|工作人员)+$/u;

/** The words that name a unit once what people add around a name is gone ("市教育局的窗口" → "教育局"). */
export function unitKey(words: string): string {
  let s = normaliseText(words).replace(/[\s\p{P}]+/gu, '');
  for (let i = 0; i < 3; i++) s = s.replace(TRAILING, '').replace(LEADING, '');
  return s;
}

/** Shortest wording that may stand for part of a unit's name (不动产 → 不动产登记窗口). */
const MIN_PART = 2;

/** Units the words may mean, best first: an exact name or alias alone, else every unit the words are part of. */
export function unitCandidates(words: string, units: readonly Unit[]): string[] {
  const w = unitKey(words);
  if (!w) return [];
  const keys = units.map((u) => ({ id: u._id, keys: [u.name, ...(u.aliases ?? [])].map(unitKey).filter(Boolean), code: u._id.toLowerCase() }));
  const exact = keys.filter((u) => u.code === w || u.keys.includes(w));
  if (exact.length) return exact.map((u) => u.id);
  if (Array.from(w).length < MIN_PART) return [];
  return keys.filter((u) => u.keys.some((k) => k.includes(w) || w.includes(k))).map((u) => u.id);
}

export function matchUnit(words: string, units: readonly Unit[]): string | null {
  const c = unitCandidates(words, units);
  return c.length === 1 ? c[0] : null;
}
