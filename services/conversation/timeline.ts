// The dates the citizen is told on submission, preformatted for the dialogue's copy: Chinese
// dates from the shared calendar formatter, English ones in the same Asia/Shanghai time.
import type { SubmissionTimeline } from '../../machines/intake/index.js';
import type { Locale } from '../../models/vocabulary.js';
import { type WorkCalendar, formatZhDateTime } from '../calendar/index.js';
import { UNIT_REPLY_WORKING_DAYS } from '../cases/index.js';

const EN_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export const formatMoment = (t: Date, locale: Locale): string =>
  locale === 'en' ? EN_DATE_TIME.format(t) : formatZhDateTime(t);

export function submissionTimeline(
  calendar: Pick<WorkCalendar, 'addWorkingDays'>,
  registered: { acceptedAt: Date; firstFeedbackBy: Date; deferred: boolean },
  locale: Locale,
): SubmissionTimeline {
  const timeline: SubmissionTimeline = {
    firstFeedbackBy: formatMoment(registered.firstFeedbackBy, locale),
    // Only used if the case is transferred; cheap to give, and the copy for 未进驻 names the date.
    transferReplyBy: formatMoment(calendar.addWorkingDays(registered.acceptedAt, UNIT_REPLY_WORKING_DAYS).at, locale),
  };
  if (registered.deferred) timeline.deferredAcceptance = formatMoment(registered.acceptedAt, locale);
  return timeline;
}
