// Redis key names for one chat. Every key starts with the channel and the (escaped) chat id, so
// one chat's keys never collide with another's whatever characters a platform uses in its ids.
import type { ChannelIdentity } from '../../models/vocabulary.js';

const chat = (who: ChannelIdentity) => `${who.channel}:${encodeURIComponent(String(who.id))}`;

export const conversationKeys = (who: ChannelIdentity) => ({
  /** Versioned value: the dialogue snapshot. Also the lock and the token bucket name (separate namespaces). */
  conversation: `conv:${chat(who)}`,
  /** Outlives the snapshot: this chat had a dialogue before (value: its locale). */
  known: `conv-known:${chat(who)}`,
  /** Set while a rate-limited chat has been told to slow down, so it is told once. */
  slowDownTold: `conv-slow:${chat(who)}`,
});
