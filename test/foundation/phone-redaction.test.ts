// Phone numbers as citizens really type them (138-1234-5678, 138 1234 5678, +86 …, full-width
// digits) must be caught wherever reporter identity is withheld: logs, the unit complained
// about, staff rooms, and the deadline reminders that go to both.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Directory } from '../../services/directory/index.js';
import { createWorkCalendar } from '../../services/calendar/index.js';
import { dueReminders } from '../../services/deadlines/rules.js';
import { reminderText } from '../../services/deadlines/render.js';
import { createLogger, scrubPhones } from '../../services/logger.js';
import { redactFor } from '../../services/privacy.js';
import { caseDoc } from '../delivery/harness.js';

const WRITTEN = ['13812345678', '138-1234-5678', '138 1234 5678', '+86 138 1234 5678', '8613812345678', '１３８１２３４５６７８', '0512-5234 5678', '(0512)52345678'];
/** The middle digits: present only if the number got through unmasked. */
const leaks = (s: string) => /1234|１２３４|5234/.test(s);

describe('phone numbers in free text', () => {
  it('are masked in every way people write them', () => {
    for (const w of WRITTEN) expect(leaks(scrubPhones(`电话${w}，谢谢`)), w).toBe(false);
    expect(scrubPhones('tel 0512-52345678')).toBe('tel 0512-****678');
    expect(scrubPhones('13812345678')).toBe('138****5678');
    // Not phones: case numbers, times, amounts.
    expect(scrubPhones('事项 20261124001 于 2026-11-24 10:00 受理，收费 120 元')).toBe('事项 20261124001 于 2026-11-24 10:00 受理，收费 120 元');
  });

  it('never reach a log line, whatever key or error carries them', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _e, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'info', pretty: false, destination });
    logger.error({ err: new Error('chat of citizen 13812345678 not found'), reason: 'blocked by 138-1234-5678', draft: { tel: '13812345678' } }, 'send failed');
    const out = lines.join('');
    expect(out).toContain('send failed');
    expect(out).not.toContain('13812345678');
    expect(leaks(out)).toBe(false);
  });

  it('are removed outright, not masked, for the unit complained about', () => {
    const doc = caseDoc({ involvedUnit: 'zjj', category: 'NOT_STATIONED' });
    for (const w of WRITTEN) {
      const text = `王小明反映，电话${w}，请回电。`;
      const unit = redactFor(doc, { kind: 'unit', unit: 'zjj' }, text);
      expect(unit, w).not.toMatch(/王小明|5678|678/);
      expect(unit).toContain('（联系方式已隐去）');
      expect(redactFor(doc, { kind: 'public' }, text)).not.toMatch(/王小明|5678|678/);
    }
  });

  it('and the citizen’s own words in a reminder to the staff room carry neither name nor phone', async () => {
    const cal = createWorkCalendar();
    const accepted = new Date('2026-11-24T10:00:00+08:00');
    const c = caseDoc({
      acceptedAt: accepted,
      matter: '王小明营业执照变更 138-1234-5678',
      deadlines: { classify: { at: cal.addOfficeHours(accepted, 1), provisional: false } },
    });
    const now = new Date('2026-11-24T15:00:00+08:00');
    const [due] = dueReminders(c, now, cal);
    expect(due).toBeDefined();
    const said = await reminderText(due, c, now, cal, {} as Directory);
    expect(JSON.stringify(said)).toContain('营业执照变更');
    expect(JSON.stringify(said)).not.toMatch(/王小明|1234|5678/);
  });
});
