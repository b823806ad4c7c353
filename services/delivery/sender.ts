// The one thing a channel implements to take part in delivery. Senders translate platform
// answers into SendResult and never throw for them: the dispatcher decides retries, rate-limit
// waits and dead letters the same way for every channel.
import type { Address } from '../../models/message.js';
import type { Sayable } from '../../models/sayable.js';
import type { Channel } from '../../models/vocabulary.js';

export type SendFailureKind = 'retryable' | 'permanent' | 'retry_after';

export type SendResult =
  | { ok: true; channelMessageId?: string }
  | {
      ok: false;
      /**
       * retryable: try again later with backoff (network error, 5xx).
       * permanent: never deliverable ("bot was blocked by the user", chat not found).
       * retry_after: the platform asked us to slow down; not the message's fault.
       */
      kind: SendFailureKind;
      retryAfterMs?: number;
      /** What the retry_after applies to: this chat only, or every send of this bot. */
      scope?: 'chat' | 'global';
      /** Shown to staff in the dead-letter alert; keep it short and free of personal data. */
      reason: string;
    };

export interface SendMeta {
  messageId: string;
  caseNumber?: string;
  /** Why the message was written ('citizen.result', 'citizen.follow_up', …): a channel may send kinds differently (WeChat template messages). */
  reason?: string;
}

export interface Sender {
  channel: Channel;
  send(to: Address, message: Sayable, meta: SendMeta): Promise<SendResult>;
}

/** Runs a sender, turning anything it throws into a retryable failure. */
export async function sendSafely(sender: Sender, to: Address, message: Sayable, meta: SendMeta): Promise<SendResult> {
  try {
    return await sender.send(to, message, meta);
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ok: false, kind: 'retryable', reason: reason.slice(0, 300) };
  }
}
