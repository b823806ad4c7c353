// The directory file's shape and its cross-references, checked before anything is written.
import { z } from 'zod';
import { unitKey } from './unit-match.js';
import { CHANNELS, ROLES, UNIT_KINDS } from '../../models/vocabulary.js';

const code = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'expected a lower-case code like "city" or "yushan-st"' });
const identity = z.object({ channel: z.enum(CHANNELS), id: z.string().min(1).max(200) });

export const directorySchema = z
  .object({
    sites: z
      .array(
        z.object({
          code,
          name: z.string().min(1),
          level: z.enum(['city', 'sub_center', 'town_street']),
          numberPrefix: z.string().regex(/^[A-Z]{0,4}$/, { message: 'expected 0-4 capital letters' }).default(''),
          staffRooms: z.array(identity).default([]),
          fallbackDutyOfficer: z.string().optional(),
          /** Where the window is in the building: told to citizens who must come in person. */
          windowLocation: z.string().min(2).max(60).optional(),
        }),
      )
      .min(1, { message: 'expected at least one site' }),
    units: z.array(
      z.object({
        code,
        site: code,
        name: z.string().min(1),
        kind: z.enum(UNIT_KINDS),
        stationed: z.boolean(),
        liaisons: z.array(z.string()).default([]),
        matters: z.array(z.string()).default([]),
        /** What citizens call the unit besides its name (教委, 住建局, 12345): the unit matcher reads them. */
        aliases: z.array(z.string().min(1).max(40)).default([]),
        /** A town/street's own site, where it runs its own window. */
        ownSite: code.optional(),
        /** A village/community's town/street. */
        parent: code.optional(),
        /** Working days to reply to a slip. The source fixes 3 for departments and towns; for 市便民服务中心 it says only 按工单处办流程. */
        replyWorkingDays: z.number().int().min(1).max(30).optional(),
      }),
    ),
    staff: z.array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'expected a lower-case staff id' }),
        name: z.string().min(1).max(40),
        site: code,
        roles: z.array(z.enum(ROLES)).min(1),
        unit: code.optional(),
        identities: z.array(identity).default([]),
        active: z.boolean().default(true),
        seatedAt: code.optional(),
      }),
    ),
    roster: z
      .array(
        z
          .object({
            site: code,
            date: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}$/)
              .optional(),
            weekday: z.number().int().min(1).max(7).optional(),
            staff: z.string(),
          })
          .refine((r) => (r.date === undefined) !== (r.weekday === undefined), {
            message: 'give either "date" (YYYY-MM-DD) or "weekday" (1=Monday … 7=Sunday), not both',
          }),
      )
      .default([]),
  })
  .superRefine((d, ctx) => {
    const sites = new Set(d.sites.map((s) => s.code));
    const units = new Map(d.units.map((u) => [u.code, u]));
    const staff = new Map(d.staff.map((s) => [s.id, s]));
    const dup = (list: string[], path: string) => {
      const seen = new Set<string>();
      for (const x of list) {
        if (seen.has(x)) ctx.addIssue({ code: 'custom', path: [path], message: `"${x}" appears twice` });
        seen.add(x);
      }
    };
    dup(
      d.sites.map((s) => s.code),
      'sites',
    );
    dup(
      d.units.map((u) => u.code),
      'units',
    );
    dup(
      d.staff.map((s) => s.id),
      'staff',
    );
    d.units.forEach((u, i) => {
      if (!sites.has(u.site)) ctx.addIssue({ code: 'custom', path: ['units', i, 'site'], message: `unknown site "${u.site}"` });
      u.liaisons.forEach((l, j) => {
        const s = staff.get(l);
        if (!s) ctx.addIssue({ code: 'custom', path: ['units', i, 'liaisons', j], message: `unknown staff "${l}"` });
        else if (!s.roles.includes('unit_liaison'))
          ctx.addIssue({ code: 'custom', path: ['units', i, 'liaisons', j], message: `staff "${l}" lacks the unit_liaison role` });
      });
    });
    d.units.forEach((u, i) => {
      if (u.ownSite !== undefined) {
        const own = d.sites.find((s) => s.code === u.ownSite);
        if (!own) ctx.addIssue({ code: 'custom', path: ['units', i, 'ownSite'], message: `unknown site "${u.ownSite}"` });
        else if (u.kind !== 'town_street') ctx.addIssue({ code: 'custom', path: ['units', i, 'ownSite'], message: `only a town/street links to its own site; "${u.code}" is a ${u.kind}` });
        else if (own.level === 'city') ctx.addIssue({ code: 'custom', path: ['units', i, 'ownSite'], message: `site "${own.code}" is the city center, not the town's own site` });
      }
      if (u.parent !== undefined) {
        const p = units.get(u.parent);
        if (!p) ctx.addIssue({ code: 'custom', path: ['units', i, 'parent'], message: `unknown unit "${u.parent}"` });
        else if (u.kind !== 'town_street' || p.kind !== 'town_street' || p.parent !== undefined)
          ctx.addIssue({ code: 'custom', path: ['units', i, 'parent'], message: `a village/community's parent must be a town/street; "${u.parent}" is not` });
        else if (p.site !== u.site) ctx.addIssue({ code: 'custom', path: ['units', i, 'parent'], message: `"${u.parent}" belongs to another site` });
      }
      // A unit that receives transfer slips must reach someone, or the slip reaches nobody.
      if (!u.stationed && u.kind !== 'section' && !u.liaisons.length && u.parent === undefined)
        ctx.addIssue({ code: 'custom', path: ['units', i, 'liaisons'], message: `unit "${u.code}" receives transfer slips but has no liaison` });
    });
    // One wording must name one unit of a site, or a complaint about one unit would be filed
    // against another (and the one complained about would see who reported).
    const named = new Map<string, string>();
    d.units.forEach((u, i) => {
      [u.name, ...u.aliases].forEach((words, j) => {
        const key = `${u.site}:${unitKey(words)}`;
        if (j > 0 && !unitKey(words))
          ctx.addIssue({ code: 'custom', path: ['units', i, 'aliases', j - 1], message: `alias "${words}" is only words like 市/窗口; give a name` });
        const other = named.get(key);
        if (other && other !== u.code)
          ctx.addIssue({ code: 'custom', path: ['units', i, j ? 'aliases' : 'name', ...(j ? [j - 1] : [])], message: `"${words}" already names unit "${other}"` });
        named.set(key, u.code);
      });
    });
    d.staff.forEach((s, i) => {
      if (!sites.has(s.site)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'site'], message: `unknown site "${s.site}"` });
      if (s.unit && !units.has(s.unit)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'unit'], message: `unknown unit "${s.unit}"` });
      if (s.seatedAt !== undefined) {
        const w = units.get(s.seatedAt);
        if (!w) ctx.addIssue({ code: 'custom', path: ['staff', i, 'seatedAt'], message: `unknown unit "${s.seatedAt}"` });
        else if (w.kind !== 'stationed_window' || w.site !== s.site)
          ctx.addIssue({ code: 'custom', path: ['staff', i, 'seatedAt'], message: `"${s.seatedAt}" is not a stationed window of site "${s.site}"` });
      }
      if (s.roles.includes('unit_liaison') && !s.unit)
        ctx.addIssue({ code: 'custom', path: ['staff', i, 'unit'], message: 'a unit_liaison needs the "unit" they speak for' });
    });
    d.sites.forEach((s, i) => {
      if (s.fallbackDutyOfficer && !staff.has(s.fallbackDutyOfficer))
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'fallbackDutyOfficer'], message: `unknown staff "${s.fallbackDutyOfficer}"` });
    });
    d.roster.forEach((r, i) => {
      const s = staff.get(r.staff);
      if (!sites.has(r.site)) ctx.addIssue({ code: 'custom', path: ['roster', i, 'site'], message: `unknown site "${r.site}"` });
      if (!s) ctx.addIssue({ code: 'custom', path: ['roster', i, 'staff'], message: `unknown staff "${r.staff}"` });
      else if (!s.roles.includes('duty_officer'))
        ctx.addIssue({ code: 'custom', path: ['roster', i, 'staff'], message: `staff "${r.staff}" lacks the duty_officer role` });
    });
    for (const site of sites) {
      for (const kind of ['supervision', 'coordination'] as const)
        if (!d.staff.some((s) => s.site === site && s.roles.includes(kind)))
          ctx.addIssue({ code: 'custom', path: ['staff'], message: `site "${site}" has nobody with the ${kind} role` });
    }
    if (!d.units.some((u) => u.kind === 'service_center'))
      ctx.addIssue({ code: 'custom', path: ['units'], message: 'the directory needs the citizen service center (kind "service_center")' });
  });

export type DirectoryData = z.output<typeof directorySchema>;
