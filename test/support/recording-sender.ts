// A channel sender for tests: records every send it is given, and answers the way a test scripts
// it (ok, or a typed failure) so retries, rate-limit waits and dead letters can be driven.
import type { SendMeta, SendResult, Sender } from '../../services/delivery/sender.js';
import type { Address } from '../../models/message.js';
import type { Sayable } from '../../models/sayable.js';
import type { Channel } from '../../models/vocabulary.js';

export interface RecordedSend {
  to: Address;
  message: Sayable;
  meta: SendMeta;
  result: SendResult;
}

export type Script = (to: Address, message: Sayable, meta: SendMeta) => SendResult | Promise<SendResult>;

export class RecordingSender implements Sender {
  readonly sent: RecordedSend[] = [];
  #script: Script = () => ({ ok: true });
  #n = 0;

  constructor(readonly channel: Channel = 'console') {}

  /** Answer every following send with `script`'s result (default: success). */
  answer(script: Script): this {
    this.#script = script;
    return this;
  }

  async send(to: Address, message: Sayable, meta: SendMeta): Promise<SendResult> {
    const scripted = await this.#script(to, message, meta);
    const result: SendResult = scripted.ok ? { ok: true, channelMessageId: scripted.channelMessageId ?? String(++this.#n) } : scripted;
    this.sent.push({ to, message, meta, result });
    return result;
  }

  /** Successful sends only. */
  delivered(): RecordedSend[] {
    return this.sent.filter((s) => s.result.ok);
  }

  /** How many times each message id was delivered. */
  deliveriesById(): Map<string, number> {
    const m = new Map<string, number>();
    for (const s of this.delivered()) m.set(s.meta.messageId, (m.get(s.meta.messageId) ?? 0) + 1);
    return m;
  }

  textsTo(id: string): string[] {
    return this.delivered()
      .filter((s) => s.to.id === id)
      .map((s) => ('text' in s.message ? s.message.text : s.message.kind));
  }
}
