// The citizen names the window or unit in their own words ("不动产登记", "3号窗口"). The case
// keeps a directory unit code there, because the privacy rule hides the reporter from the unit
// complained about by that code. Only an unambiguous match becomes a code; anything else stays
// in the account for the duty officer to read, never guessed.
import type { UnitDoc } from '../../models/unit.js';

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Shortest citizen wording that may stand for the start of a unit's name (不动产 → 不动产登记窗口). */
const MIN_PREFIX = 3;

export function matchUnit(words: string, units: readonly Pick<UnitDoc, '_id' | 'name'>[]): string | null {
  const w = norm(words);
  if (!w) return null;
  const exact = units.filter((u) => norm(u.name) === w || norm(u._id) === w);
  if (exact.length === 1) return exact[0]._id;
  if (exact.length > 1) return null;
  const loose = units.filter((u) => {
    const name = norm(u.name);
    return w.includes(name) || (Array.from(w).length >= MIN_PREFIX && name.startsWith(w));
  });
  return loose.length === 1 ? loose[0]._id : null;
}
