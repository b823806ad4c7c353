// Turns a due reminder into the words and the people: who the targets are today (the duty roster
// changes daily), and the Chinese copy with the case's deadline and lateness.
import type { CaseDoc } from '../../models/case.js';
import type { Sayable } from '../../models/sayable.js';
import { type WorkCalendar, formatZhDateTime } from '../calendar/index.js';
import type { Directory } from '../directory/index.js';
import { redactFor, reporterFor } from '../privacy.js';
import { durationZh, remindersZh } from '../locales/zh/reminders.js';
import type { Target } from '../recipients.js';
import type { DueReminder, ReminderTarget } from './rules.js';

export async function reminderText(r: DueReminder, c: CaseDoc, now: Date, calendar: WorkCalendar, directory: Directory): Promise<Sayable> {
  const due = `${formatZhDateTime(r.dueAt)}${r.provisional ? '（暂定）' : ''}`;
  // The matter is the citizen's own words ("张三的营业执照…", a phone number): reminders go to staff
  // rooms and to the unit's liaisons, who may be the unit complained about.
  const about = { number: c.number, matter: redactFor(c, { kind: 'public' }, c.matter), due };
  const overdueBy = durationZh(calendar.workingTimeBetween(r.dueAt, now));
  let text: string;
  switch (r.text) {
    case 'classifyDuty':
      text = remindersZh.classifyDuty({ ...about, overdueBy });
      break;
    case 'classifySupervision':
      text = remindersZh.classifySupervision({ ...about, overdueBy });
      break;
    case 'firstFeedbackClerk':
      text = remindersZh.firstFeedbackClerk(about);
      break;
    case 'firstFeedbackDuty':
      text = remindersZh.firstFeedbackDuty({ ...about, overdueBy });
      break;
    case 'followUpClerk':
      text = remindersZh.followUpClerk(about);
      break;
    case 'followUpOverdue':
      text = remindersZh.followUpOverdue({ ...about, overdueBy });
      break;
    case 'rehandlingSupervision':
      text = remindersZh.rehandlingSupervision(about);
      break;
    case 'rehandlingOverdue':
      text = remindersZh.rehandlingOverdue({ ...about, overdueBy });
      break;
    case 'unitReplyLiaison':
    case 'unitReplyOverdue': {
      const code = r.slip?.unit ?? '';
      const unit = code ? await directory.unit(code).then((u) => u.name, () => code) : '承办单位';
      const slip = r.slip?.number ?? c.number;
      text =
        r.text === 'unitReplyLiaison'
          ? remindersZh.unitReplyLiaison({ ...about, slip, unit, contactCitizen: Boolean(code) && reporterFor(c, { kind: 'unit', unit: code }).visibility === 'full' })
          : remindersZh.unitReplyOverdue({ ...about, overdueBy, slip, unit, day: r.day ?? 1 });
      break;
    }
  }
  // A complex case is reported to leadership before it is closed on measures: every reminder
  // about it says so until the report is recorded.
  if (c.lifecycle?.category === 'COMPLEX' && !c.lifecycle.leaderInformed) text += remindersZh.leaderReportPending({ number: c.number });
  return { kind: 'text', text };
}

/** Today's people for each target; a role nobody holds falls back to the site's staff room. */
export async function reminderTargets(targets: ReminderTarget[], c: CaseDoc, now: Date, directory: Directory): Promise<Target[]> {
  const out: Target[] = [];
  const roomInstead = () => out.push({ kind: 'staffRoom', site: c.site });
  for (const t of targets) {
    switch (t.kind) {
      case 'staffRoom':
        roomInstead();
        break;
      case 'unit':
        out.push({ kind: 'unit', unit: t.unit });
        break;
      case 'dutyOfficer': {
        const d = await directory.dutyOfficer(c.site, now);
        if (d) out.push({ kind: 'staff', staff: d.staff });
        else roomInstead();
        break;
      }
      case 'role': {
        const people = await directory.staffWithRole(c.site, t.role);
        if (people.length) for (const p of people) out.push({ kind: 'staff', staff: p });
        else roomInstead();
        break;
      }
    }
  }
  return out;
}
