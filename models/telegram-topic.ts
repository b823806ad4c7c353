// Where a case lives in a Telegram staff group: its forum topic (absent in a plain group) and
// the message id of its case card. Kept in the database, not in process memory, so that a
// restarted bot, or another bot process behind the same Redis, edits the same card and posts
// into the same topic instead of opening a second one.
import { Schema, type Connection, type Model } from 'mongoose';

export interface TelegramTopicDoc {
  /** `${chatId}:${caseNumber}`: one topic per case and staff group. */
  _id: string;
  chatId: string;
  caseNumber: string;
  site: string;
  /** Forum topic id (message_thread_id); absent when the group has no topics. */
  threadId?: number;
  /** The case card, edited in place as the case moves. */
  cardMessageId?: number;
  /** What the card last showed (text and buttons), so an unchanged card is not edited again. */
  cardHash?: string;
  /** The topic was closed (case archived, withdrawn, out of scope). */
  closed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<TelegramTopicDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    caseNumber: { type: String, required: true },
    site: { type: String, required: true },
    threadId: Number,
    cardMessageId: Number,
    cardHash: String,
    closed: { type: Boolean, default: false },
  },
  { collection: 'telegram_topics', versionKey: false, timestamps: true, strictQuery: true },
);
// A message in a topic, and a reply to a card in a plain group, are traced back to their case.
schema.index({ chatId: 1, threadId: 1 });
schema.index({ chatId: 1, cardMessageId: 1 });

export type TelegramTopicModel = Model<TelegramTopicDoc>;
export const telegramTopicModel = (conn: Connection): TelegramTopicModel =>
  (conn.models.TelegramTopic as TelegramTopicModel | undefined) ?? conn.model<TelegramTopicDoc>('TelegramTopic', schema);

export const topicKey = (chatId: string, caseNumber: string) => `${chatId}:${caseNumber}`;
