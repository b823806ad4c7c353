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

/**
 * Who sends: one account per line, each with limits (and outages) of its own. A channel is one
 * line, except WeChat's two accounts: the Official Account that citizens write to (addresses
 * `oa:<openid>`) and the Wechaty account that holds the staff rooms, staff and liaisons. An
 * Official Account out of its daily quota must not hold up the staff rooms, nor the reverse.
 */
export type Line = Channel | 'wechat-oa';

/** Lines that are part of a channel, told apart by the start of the address. */
const SUB_LINES: readonly { line: Line; channel: Channel; idPrefix: string }[] = [{ line: 'wechat-oa', channel: 'wechat', idPrefix: 'oa:' }];

export function lineOf(to: Address): Line {
  return SUB_LINES.find((s) => s.channel === to.channel && to.id.startsWith(s.idPrefix))?.line ?? to.channel;
}

/**
 * Which of a channel's messages may be claimed while some of its lines are paused: all (true),
 * none (false), or a filter on the address naming the open lines.
 */
export function openLinesFilter(channel: Channel, paused: (line: Line) => boolean): boolean | Record<string, unknown> {
  const subs = SUB_LINES.filter((s) => s.channel === channel);
  const closed = subs.filter((s) => paused(s.line));
  const mainOpen = !paused(channel);
  if (mainOpen && closed.length === 0) return true;
  if (!mainOpen && closed.length === subs.length) return false;
  // The prefixes are letters and a colon: nothing to escape.
  const prefix = (s: (typeof subs)[number]) => new RegExp(`^${s.idPrefix}`);
  return mainOpen
    ? { 'to.channel': channel, 'to.id': { $nin: closed.map(prefix) } }
    : { 'to.channel': channel, 'to.id': { $in: subs.filter((s) => !paused(s.line)).map(prefix) } };
}

export type LimitsPolicy = Partial<Record<Line, ChannelLimits>>;

export const DEFAULT_LIMITS: LimitsPolicy = {
  // Telegram: 30 messages/s per bot, 1/s per private chat, 20/min per group. Each bucket runs a
  // little under its limit: tokens are timed by Redis, arrivals by Telegram, and the network
  // between them can bunch two sends closer than the bucket spaced them.
  telegram: {
    global: { capacity: 1, refillPerSecond: 29 },
    private: { capacity: 1, refillPerSecond: 1 / 1.1 },
    group: { capacity: 1, refillPerSecond: 19 / 60 },
  },
  // The Wechaty account (a personal or WeCom account driven by a puppet). WeChat publishes no
  // limits for it and restricts accounts that send in bursts; the nearest published figures are
  // WeCom's: 20 messages a minute per group robot, 30 a minute per member from one app. Stay
  // within those (capacity 1 + 60 s of refill: 20 and 30 a minute) and at one a second overall.
  wechat: {
    global: { capacity: 1, refillPerSecond: 1 },
    private: { capacity: 1, refillPerSecond: 29 / 60 },
    group: { capacity: 1, refillPerSecond: 19 / 60 },
  },
  // The Official Account API: 500,000 customer-service and 100,000 template messages a day by
  // default (接口调用频次限制; 45009 past them) and 5 customer-service messages per citizen
  // message (45047, answered by a template message). 5 a second overall stays under the daily
  // quota even sent all day (432,000); one a second per citizen keeps a citizen's messages apart
  // and in order.
  'wechat-oa': {
    global: { capacity: 1, refillPerSecond: 5 },
    private: { capacity: 1, refillPerSecond: 1 },
  },
};

/** Telegram group and supergroup ids are negative; WeChat rooms are `…@chatroom` or `topic:<name>`. */
export function isGroupChat(to: Address): boolean {
  if (to.channel === 'telegram') return to.id.startsWith('-');
  if (to.channel === 'wechat') return to.id.endsWith('@chatroom') || to.id.startsWith('topic:');
  return false;
}

export interface BucketRule {
  bucket: string;
  limit: TokenBucketLimit;
  scope: 'chat' | 'global';
}

export const globalBucket = (line: Line) => `delivery:${line}:all`;
export const chatBucket = (to: Address) => `delivery:${to.channel}:chat:${to.id}`;

/** The buckets one send to `to` draws from, chat first (see the dispatcher for why). */
export function bucketsFor(to: Address, policy: LimitsPolicy): BucketRule[] {
  const line = lineOf(to);
  const p = policy[line];
  if (!p) return [];
  const rules: BucketRule[] = [];
  const chat = isGroupChat(to) ? p.group : p.private;
  if (chat) rules.push({ bucket: chatBucket(to), limit: chat, scope: 'chat' });
  if (p.global) rules.push({ bucket: globalBucket(line), limit: p.global, scope: 'global' });
  return rules;
}

/** The defaults, with each line the operator configured replaced as a whole ({} = unlimited). */
export function mergeLimits(overrides: LimitsPolicy = {}): LimitsPolicy {
  return { ...DEFAULT_LIMITS, ...overrides };
}
