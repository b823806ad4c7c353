// npm run calendar -- check [file]: validates the calendar override file (default
// config/calendar.json, or CALENDAR_FILE) before a restart puts it in force.
import { chineseDaysSource, CalendarConfigError, checkCalendar, loadCalendarOverrides } from '../services/calendar/index.js';

const [command, file = process.env.CALENDAR_FILE ?? 'config/calendar.json'] = process.argv.slice(2);
if (command !== 'check') {
  process.stderr.write('usage: npm run calendar -- check [config/calendar.json]\n');
  process.exit(2);
}
try {
  const result = checkCalendar(loadCalendarOverrides(file), chineseDaysSource());
  for (const s of result.summary) process.stdout.write(`${s}\n`);
  for (const w of result.warnings) process.stdout.write(`warning: ${w}\n`);
  for (const e of result.errors) process.stderr.write(`error: ${e}\n`);
  process.stdout.write(result.errors.length ? `${file}: ${result.errors.length} error(s)\n` : `${file}: ok\n`);
  process.exit(result.errors.length ? 1 : 0);
} catch (err) {
  if (!(err instanceof CalendarConfigError)) throw err;
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
}
