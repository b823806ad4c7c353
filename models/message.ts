// A message waiting for, or done with, delivery. Case changes write their messages into the
// case's own `outbox` array in the same atomic update as the change; the relay copies them here
// under the same `_id` (so a copy made twice is one message) and the dispatcher works from here.
import { Schema, type Connection, type Model } from 'mongoose';
import type { Sayable } from './sayable.js';
import { CHANNELS, type Channel } from './vocabulary.js';

export const AUDIENCES = ['citizen', 'staff', 'unit'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const MESSAGE_STATES = ['pending', 'sending', 'sent', 'dead'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** One concrete address on one channel: a citizen's chat, a staff room, a liaison's chat. */
export interface Address {
  channel: Channel;
  /** Channel-specific chat/contact id, as a string. */
  id: string;
  /** Telegram forum topic / thread, when the staff room has one per case. */
  thread?: string;
}

/** A message as a case change writes it (embedded in the case until relayed). */
export interface OutboxEntry {
  /** Globally unique and deterministic for the change that caused it: `${caseId}:${version}:${n}`. */
  _id: string;
  audience: Audience;
  to: Address;
  site: string;
  caseId?: string;
  caseNumber?: string;
  sayable: Sayable;
  /**
   * True when the message answers something the recipient just did (held by no quiet hours);
   * pushes to citizens without it wait for the morning.
   */
  reply?: boolean;
  /** Not before this instant (quiet hours, scheduled reminders). */
  notBefore?: Date;
  createdAt: Date;
  /** Why it was sent, for staff views: 'case.registered', 'reminder.unit_reply', … */
  reason: string;
}

export interface MessageDoc extends Omit<OutboxEntry, 'notBefore'> {
  state: MessageState;
  attempts: number;
  nextAttemptAt: Date;
  /**
   * Its place in its chat's order: when it first became due (quiet hours move it to the morning).
   * A message is sent only once every earlier one to the same chat is sent or dead, so a retry
   * after an outage never lets a later message overtake it. Defaults to `nextAttemptAt`.
   */
  dueAt?: Date;
  /** The earlier message of the same chat this one waits for (any end in the chat wakes it). */
  waitingFor?: string;
  leaseOwner?: string;
  leaseUntil?: Date;
  sentAt?: Date;
  channelMessageId?: string;
  lastError?: string;
  deadAt?: Date;
}

const addressSchema = new Schema<Address>(
  {
    channel: { type: String, enum: CHANNELS, required: true },
    id: { type: String, required: true, maxlength: 200 },
    thread: { type: String, maxlength: 200 },
  },
  { _id: false },
);

/** Shared by the case's outbox array and the messages collection. */
export const outboxEntryFields = {
  _id: { type: String, required: true },
  audience: { type: String, enum: AUDIENCES, required: true },
  to: { type: addressSchema, required: true },
  site: { type: String, required: true },
  caseId: String,
  caseNumber: String,
  sayable: { type: Schema.Types.Mixed, required: true },
  reply: Boolean,
  notBefore: Date,
  createdAt: { type: Date, required: true },
  reason: { type: String, required: true },
} as const;

export const outboxEntrySchema = new Schema<OutboxEntry>(outboxEntryFields, { _id: false, minimize: false });

const messageSchema = new Schema<MessageDoc>(
  {
    ...outboxEntryFields,
    state: { type: String, enum: MESSAGE_STATES, required: true, default: 'pending' },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    dueAt: {
      type: Date,
      default(this: MessageDoc) {
        return this.nextAttemptAt;
      },
    },
    waitingFor: String,
    leaseOwner: String,
    leaseUntil: Date,
    sentAt: Date,
    channelMessageId: String,
    lastError: String,
    deadAt: Date,
  },
  { collection: 'messages', versionKey: false, minimize: false, strictQuery: true },
);
// The dispatcher's claim query: due pending messages, oldest first.
messageSchema.index({ state: 1, nextAttemptAt: 1 });
messageSchema.index({ caseId: 1, createdAt: 1 });
// The dispatcher's order check: an earlier unsent message to the same chat.
messageSchema.index({ 'to.id': 1, 'to.channel': 1, state: 1, dueAt: 1 });

export type MessageModel = Model<MessageDoc>;
export const messageModel = (conn: Connection): MessageModel =>
  (conn.models.Message as MessageModel | undefined) ?? conn.model<MessageDoc>('Message', messageSchema);
