// Deadlines: reminder and escalation rules, the sweeper that writes them, and overdue views.
export { CLASSIFY_OFFICE_HOURS, type OpenDeadline, openDeadlines } from './open-deadlines.js';
export { formatOverdueZh, type Overdue, type OverdueItem, overdueFilter, overdueOf, overdueZh } from './overdue.js';
export {
  type DueReminder,
  dueReminders,
  FIRST_FEEDBACK_LEAD_MS,
  nextAttentionAt,
  type ReminderStep,
  type ReminderTarget,
  type ReminderText,
  reminderSteps,
} from './rules.js';
export { createSweeper, SWEEPER_LOCK, type SweepResult, type Sweeper, type SweeperOptions } from './sweeper.js';
