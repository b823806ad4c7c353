// Text-only channels (WeChat, the console) show a pushed menu — the follow-up question that
// arrives hours after the dialogue — as numbered lines, and the citizen answers by typing its
// number. The dialogue machine cannot know about a menu it did not send, so the channel keeps
// the last pushed menu per chat (in the coordination layer, shared by all bot processes) and
// turns a typed number into the choice it stands for. Any reply from the dialogue itself
// forgets it: from then on numbers belong to the dialogue's own menus again.
import type { Choice } from '../models/sayable.js';
import type { ChannelIdentity } from '../models/vocabulary.js';
import type { Coordination } from '../services/coordination/index.js';

/** A pushed menu stays answerable by number for this long. */
const MENU_TTL_MS = 7 * 24 * 3600 * 1000;

const key = (who: ChannelIdentity) => `menu:${who.channel}:${who.id}`;

export interface PushedMenus {
  remember(who: ChannelIdentity, choices: Choice[]): Promise<void>;
  forget(who: ChannelIdentity): Promise<void>;
  /** The choice id a typed line picks from the last pushed menu, if it is just a number in range. */
  pick(who: ChannelIdentity, typed: string): Promise<string | null>;
}

export function createPushedMenus(coordination: Coordination): PushedMenus {
  return {
    remember: (who, choices) => coordination.set(key(who), JSON.stringify(choices.map((c) => c.id)), { ttlMs: MENU_TTL_MS }),
    forget: (who) => coordination.del(key(who)),
    async pick(who, typed) {
      const n = Number(typed.normalize('NFKC').trim());
      if (!Number.isInteger(n) || n < 1) return null;
      const raw = await coordination.get(key(who));
      if (!raw) return null;
      const ids = JSON.parse(raw) as string[];
      return ids[n - 1] ?? null;
    },
  };
}
