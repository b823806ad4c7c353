// A directory view for one unit of work — a sweeper pass, one case change, one intake: the same
// site, unit, role and roster questions come up again and again within it, and the answers
// cannot change in the moments it takes.
import type { Directory } from './directory.js';

export function memoDirectory(directory: Directory, localDate: (t: Date) => string): Directory {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      memo.set(key, p);
      // A failed lookup is not remembered: the next case asks again.
      p.catch(() => memo.delete(key));
    }
    return p;
  };
  return {
    ...directory,
    site: (code) => once(`site:${code}`, () => directory.site(code)),
    unit: (code) => once(`unit:${code}`, () => directory.unit(code)),
    staff: (id) => once(`staff:${id}`, () => directory.staff(id)),
    staffWithRole: (site, role) => once(`role:${site}:${role}`, () => directory.staffWithRole(site, role)),
    dutyOfficer: (site, at) => once(`duty:${site}:${localDate(at)}`, () => directory.dutyOfficer(site, at)),
  };
}
