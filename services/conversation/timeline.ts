// The dates the citizen is told on submission, preformatted for the dialogue's copy: Chinese
// dates from the shared calendar formatter, English ones in the same Asia/Shanghai time.
import type { SubmissionTimeline } from '../../machines/intake/index.js';
import type { Locale } from '../../models/vocabulary.js';
import { type WorkCalendar, formatZhDateTime } from '../calendar/index.js';
import { UNIT_REPLY_WORKING_DAYS } from '../cases/index.js';
import { PROVISIONAL_EN } from '../locales/en/cases.js';
import { PROVISIONAL_ZH } from '../locales/zh/cases.js';

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

/** A moment in the citizen's language; `provisional` adds that the date may still move. */
export const formatMoment = (t: Date, locale: Locale, provisional = false): string =>
  (locale === 'en' ? EN_DATE_TIME.format(t) : formatZhDateTime(t)) + (provisional ? (locale === 'en' ? PROVISIONAL_EN : PROVISIONAL_ZH) : '');

export function submissionTimeline(
  calendar: Pick<WorkCalendar, 'addWorkingDays' | 'missingYears'>,
  registered: { acceptedAt: Date; firstFeedbackBy: Date; deferred: boolean; case?: { receivedAt: Date } },
  locale: Locale,
): SubmissionTimeline {
  // Each date is provisional over its own span, from the moment the report arrived.
  const from = registered.case?.receivedAt ?? registered.acceptedAt;
  const moment = (t: Date) => formatMoment(t, locale, calendar.missingYears(from, t).length > 0);
  const timeline: SubmissionTimeline = {
    firstFeedbackBy: moment(registered.firstFeedbackBy),
    // Only used if the case is transferred; cheap to give, and the copy for 未进驻 names the date.
    transferReplyBy: moment(calendar.addWorkingDays(registered.acceptedAt, UNIT_REPLY_WORKING_DAYS).at),
  };
  if (registered.deferred) timeline.deferredAcceptance = moment(registered.acceptedAt);
  return timeline;
}
