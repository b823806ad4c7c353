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
          /** Where the window is, as a citizen finds it (printed on the site's poster). */
          window: z.string().min(1).max(80).optional(),
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
