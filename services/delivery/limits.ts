// Per-channel rate-limit policy as data. Buckets live in the coordination layer so every
// dispatcher process draws from the same ones. A bucket's capacity plus one second of refill is
// the most it admits in any one-second window, so the defaults keep that sum at the platform's
// limit or under it.
import type { TokenBucketLimit } from '../coordination/index.js';
import type { Address } from '../../models/message.js';
import type { Channel } from '../../models/vocabulary.js';

export interface ChannelLimits {
  /** Every send of this channel (one bot / one account). */
  global?: TokenBucketLimit;
  /** Each one-to-one chat. */
  private?: TokenBucketLimit;
  /** Each group chat / room. */
  group?: TokenBucketLimit;
}

export type LimitsPolicy = Partial<Record<Channel, ChannelLimits>>;

export const DEFAULT_LIMITS: LimitsPolicy = {
  // Telegram: 30 messages/s per bot, 1/s per private chat, 20/min per group. Each bucket runs a
  // little under its limit: tokens are timed by Redis, arrivals by Telegram, and the network
  // between them can bunch two sends closer than the bucket spaced them.
  telegram: {
    global: { capacity: 1, refillPerSecond: 29 },
    private: { capacity: 1, refillPerSecond: 1 / 1.1 },
    group: { capacity: 1, refillPerSecond: 19 / 60 },
  },
  // WeChat publishes no numbers and bans eagerly: stay well below what accounts are seen to bear.
  wechat: {
    global: { capacity: 1, refillPerSecond: 10 },
    private: { capacity: 1, refillPerSecond: 1 },
    group: { capacity: 1, refillPerSecond: 1 / 3 },
  },
};

/** Telegram group and supergroup ids are negative; WeChat room ids end in @chatroom. */
export function isGroupChat(to: Address): boolean {
  if (to.channel === 'telegram') return to.id.startsWith('-');
  if (to.channel === 'wechat') return to.id.endsWith('@chatroom');
  return false;
}

export interface BucketRule {
  bucket: string;
  limit: TokenBucketLimit;
  scope: 'chat' | 'global';
}

export const globalBucket = (channel: Channel) => `delivery:${channel}:all`;
export const chatBucket = (to: Address) => `delivery:${to.channel}:chat:${to.id}`;

/** The buckets one send to `to` draws from, chat first (see the dispatcher for why). */
export function bucketsFor(to: Address, policy: LimitsPolicy): BucketRule[] {
  const p = policy[to.channel];
  if (!p) return [];
  const rules: BucketRule[] = [];
  const chat = isGroupChat(to) ? p.group : p.private;
  if (chat) rules.push({ bucket: chatBucket(to), limit: chat, scope: 'chat' });
  if (p.global) rules.push({ bucket: globalBucket(to.channel), limit: p.global, scope: 'global' });
  return rules;
}

/** The defaults, with each channel the operator configured replaced as a whole ({} = unlimited). */
export function mergeLimits(overrides: LimitsPolicy = {}): LimitsPolicy {
  return { ...DEFAULT_LIMITS, ...overrides };
}
