// Delivery: relay from case outboxes, dispatch through channel senders, rate limits, quiet hours.
export { type BackoffOptions, backoffMs, DEFAULT_BACKOFF } from './backoff.js';
export { DEAD_LETTER_REASON, deadLetter } from './dead-letter.js';
export { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher.js';
export {
  bucketsFor,
  type ChannelLimits,
  chatBucket,
  DEFAULT_LIMITS,
  globalBucket,
  isGroupChat,
  type LimitsPolicy,
  mergeLimits,
} from './limits.js';
export { DEFAULT_QUIET_HOURS, type QuietHours, quietHoursEnd } from './quiet-hours.js';
export { createRelay, onlyDuplicates, type Relay, toMessage, WAKE_CHANNEL } from './relay.js';
export { postStaffNotice } from './notice.js';
export { type SendFailureKind, type SendMeta, type SendResult, type Sender, sendSafely } from './sender.js';
