// The help text: every command with one example, who may use it (from the role table, so it
// cannot drift from what the services allow), and — for a known staff member — which are theirs.
import { PERMISSIONS, ROLE_LABELS_ZH } from '../../machines/permissions.js';
import type { StaffDoc } from '../../models/staff.js';
import { ROLES } from '../../models/vocabulary.js';
import { COMMAND_HELP_ZH, HELP_GROUPS_ZH, helpZh } from '../locales/zh/staff-commands.js';
import { VERBS, type VerbKey } from './words.js';

function whoMay(verb: VerbKey): string {
  const roles = PERMISSIONS[VERBS[verb].action];
  return roles.length === ROLES.length ? helpZh.allStaff : roles.map((r) => ROLE_LABELS_ZH[r]).join('、');
}

export function staffMayUse(staff: Pick<StaffDoc, 'roles'>, verb: VerbKey): boolean {
  const allowed = PERMISSIONS[VERBS[verb].action];
  return staff.roles.some((r) => allowed.includes(r));
}

export function staffHelp(staff?: Pick<StaffDoc, 'roles'>): string {
  const lines = [helpZh.title, helpZh.intro];
  if (staff) lines.push(helpZh.forYou(staff.roles.map((r) => ROLE_LABELS_ZH[r]).join('、')));
  for (const group of HELP_GROUPS_ZH) {
    lines.push('', `【${group.title}】`);
    for (const verb of group.verbs) {
      const spec = VERBS[verb];
      const h = COMMAND_HELP_ZH[verb];
      const aliases = spec.zh.slice(1);
      const extras = [helpZh.who(whoMay(verb)), ...(aliases.length ? [helpZh.aliases(aliases.join('、'))] : []), helpZh.english(spec.en)].join('；');
      const mark = staff ? (staffMayUse(staff, verb) ? '✓' : '·') : '·';
      lines.push(helpZh.line({ mark, name: spec.zh[0], example: h.example, does: `${h.does}。格式：${h.form}`, extras }));
    }
  }
  lines.push('', helpZh.outro);
  return lines.join('\n');
}
