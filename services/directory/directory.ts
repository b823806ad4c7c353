// Who is who: sites, units, staff, the duty roster. The file is the operator's source; MongoDB
// holds the copy every process reads, so all bot processes agree on who is on duty.
import type { Models } from '../../models/index.js';
import type { SiteDoc } from '../../models/site.js';
import type { StaffDoc } from '../../models/staff.js';
import type { UnitDoc } from '../../models/unit.js';
import type { ChannelIdentity, Role } from '../../models/vocabulary.js';
import { batched } from '../batched.js';
import { NotFoundError } from '../errors.js';
import type { DirectoryData } from './schema.js';

export interface DutyOfficer {
  staff: StaffDoc;
  /** True when the roster had nobody for the day and the site's fallback stands in. */
  fallback: boolean;
}

export interface Directory {
  site(code: string): Promise<SiteDoc>;
  sites(): Promise<SiteDoc[]>;
  unit(code: string): Promise<UnitDoc>;
  units(site?: string): Promise<UnitDoc[]>;
  staff(id: string): Promise<StaffDoc>;
  staffByIdentity(identity: ChannelIdentity): Promise<StaffDoc | null>;
  staffWithRole(site: string, role: Role): Promise<StaffDoc[]>;
  dutyOfficer(site: string, at: Date): Promise<DutyOfficer | null>;
  /** The unit of the center's own sections that plays a role at a site (效能督查科, 业务协调科). */
  sectionFor(site: string, role: 'supervision' | 'coordination'): Promise<UnitDoc | null>;
  serviceCenter(): Promise<UnitDoc>;
}

export function createDirectory(deps: { models: Models; localDate: (t: Date) => string }): Directory {
  const { Site, Unit, Staff, DutyRoster } = deps.models;
  const must = async <T>(p: Promise<T | null>, what: string, code: string): Promise<T> => {
    const v = await p;
    if (!v) throw new NotFoundError(what, code);
    return v;
  };
  const isoWeekday = (day: string) => {
    const d = new Date(`${day}T00:00:00Z`).getUTCDay();
    return d === 0 ? 7 : d;
  };

  // Lookups by id asked in the same moment (a crowd of intakes each asking for the site, its
  // roster and the officer) go as one `_id: {$in}` read, issued after every one of them asked.
  const byId = <T extends { _id: string }>(read: (ids: string[]) => Promise<T[]>) =>
    batched<string, T | null>(async (ids) => {
      const found = new Map((await read([...new Set(ids)])).map((d) => [d._id, d]));
      return ids.map((id) => found.get(id) ?? null);
    });
  const siteById = byId((ids) => Site.find({ _id: { $in: ids } }).lean<SiteDoc[]>().exec());
  const unitById = byId((ids) => Unit.find({ _id: { $in: ids } }).lean<UnitDoc[]>().exec());
  const staffById = byId((ids) => Staff.find({ _id: { $in: ids } }).lean<StaffDoc[]>().exec());
  const activeStaffById = byId((ids) => Staff.find({ _id: { $in: ids }, active: true }).lean<StaffDoc[]>().exec());
  const rosterById = byId((ids) => DutyRoster.find({ _id: { $in: ids } }).lean<{ _id: string; staff: string }[]>().exec());

  return {
    site: (code) => must(siteById(String(code)), '站点', code),
    sites: () => Site.find().sort({ _id: 1 }).lean<SiteDoc[]>().exec(),
    unit: (code) => must(unitById(String(code)), '单位', code),
    units: (site) => Unit.find(site ? { site: String(site) } : {}).sort({ kind: 1, _id: 1 }).lean<UnitDoc[]>().exec(),
    staff: (id) => must(staffById(String(id)), '工作人员', id),
    staffByIdentity: (identity) =>
      Staff.findOne({
        active: true,
        identities: { $elemMatch: { channel: String(identity.channel), id: String(identity.id) } },
      })
        .lean<StaffDoc>()
        .exec(),
    staffWithRole: (site, role) =>
      Staff.find({ site: String(site), roles: role, active: true }).sort({ _id: 1 }).lean<StaffDoc[]>().exec(),
    async dutyOfficer(site, at) {
      const day = deps.localDate(at);
      // The day's entry wins over the weekday's; both are asked at once.
      const [dated, weekly] = await Promise.all([rosterById(`${site}:${day}`), rosterById(`${site}:w${isoWeekday(day)}`)]);
      const entry = dated ?? weekly;
      if (entry) {
        const s = await activeStaffById(String(entry.staff));
        if (s) return { staff: s, fallback: false };
      }
      const siteDoc = await siteById(String(site));
      if (siteDoc?.fallbackDutyOfficer) {
        const s = await activeStaffById(String(siteDoc.fallbackDutyOfficer));
        if (s) return { staff: s, fallback: true };
      }
      return null;
    },
    async sectionFor(site, role) {
      const person = await Staff.findOne({ site: String(site), roles: role, active: true, unit: { $exists: true } })
        .sort({ _id: 1 })
        .lean<StaffDoc>()
        .exec();
      return person?.unit ? Unit.findById(person.unit).lean<UnitDoc>().exec() : null;
    },
    serviceCenter: () => must(Unit.findOne({ kind: 'service_center' }).lean<UnitDoc>().exec(), '单位', 'service_center'),
  };
}

/** Writes the validated file into MongoDB, replacing what was there (staff no longer listed are deactivated). */
export async function syncDirectory(models: Models, data: DirectoryData): Promise<void> {
  const { Site, Unit, Staff, DutyRoster } = models;
  await Site.bulkWrite(
    data.sites.map(({ code, ...rest }) => ({
      replaceOne: { filter: { _id: code }, replacement: { _id: code, ...rest }, upsert: true },
    })),
  );
  if (data.units.length)
    await Unit.bulkWrite(
      data.units.map(({ code, ...rest }) => ({
        replaceOne: { filter: { _id: code }, replacement: { _id: code, ...rest }, upsert: true },
      })),
    );
  if (data.staff.length)
    await Staff.bulkWrite(
      data.staff.map(({ id, ...rest }) => ({
        replaceOne: { filter: { _id: id }, replacement: { _id: id, ...rest }, upsert: true },
      })),
    );
  await Staff.updateMany({ _id: { $nin: data.staff.map((s) => s.id) } }, { $set: { active: false } });
  // Upserts and a delete of what is no longer listed, not delete-all then insert: two desk
  // processes starting at once on one store interleaved those and the second failed on E11000.
  const roster = data.roster.map((r) => ({ _id: `${r.site}:${r.date ?? `w${r.weekday}`}`, ...r }));
  if (roster.length) await DutyRoster.bulkWrite(roster.map((r) => ({ replaceOne: { filter: { _id: r._id }, replacement: r, upsert: true } })));
  await DutyRoster.deleteMany({ _id: { $nin: roster.map((r) => r._id) } });
}
