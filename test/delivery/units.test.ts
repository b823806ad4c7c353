import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../services/delivery/backoff.js';
import { bucketsFor, DEFAULT_LIMITS, isGroupChat, lineOf, mergeLimits, openLinesFilter } from '../../services/delivery/limits.js';
import { quietHoursEnd } from '../../services/delivery/quiet-hours.js';

const q = { from: '21:00', to: '08:00' };
const sh = (s: string) => new Date(`${s}+08:00`);

describe('quiet hours (Asia/Shanghai)', () => {
  it('holds a push at 22:30 until 08:00 the next morning', () => {
    expect(quietHoursEnd(sh('2026-11-24T22:30:00'), q)).toEqual(sh('2026-11-25T08:00:00'));
  });
  it('holds a push at 06:00 until 08:00 the same morning', () => {
    expect(quietHoursEnd(sh('2026-11-25T06:00:00'), q)).toEqual(sh('2026-11-25T08:00:00'));
  });
  it('lets a push through at 08:00 and at 20:59', () => {
    expect(quietHoursEnd(sh('2026-11-25T08:00:00'), q)).toBeNull();
    expect(quietHoursEnd(sh('2026-11-25T20:59:59'), q)).toBeNull();
  });
  it('handles quiet hours inside one day', () => {
    expect(quietHoursEnd(sh('2026-11-25T13:00:00'), { from: '12:00', to: '14:00' })).toEqual(sh('2026-11-25T14:00:00'));
  });
  it('names the setting when the time is malformed', () => {
    expect(() => quietHoursEnd(new Date(), { from: '9pm', to: '08:00' })).toThrow(/QUIET_HOURS/);
  });
});

describe('rate-limit policy', () => {
  it('draws a Telegram private chat from 1/s and the bot from ≤30/s', () => {
    const rules = bucketsFor({ channel: 'telegram', id: '12345' }, DEFAULT_LIMITS);
    expect(rules.map((r) => r.scope)).toEqual(['chat', 'global']);
    expect(rules[0].limit.capacity + rules[0].limit.refillPerSecond).toBeLessThanOrEqual(2);
    expect(rules[1].limit.capacity + rules[1].limit.refillPerSecond).toBeLessThanOrEqual(30);
  });
  it('treats negative Telegram ids as groups limited to 20 per minute', () => {
    const to = { channel: 'telegram' as const, id: '-1001234' };
    expect(isGroupChat(to)).toBe(true);
    const chat = bucketsFor(to, DEFAULT_LIMITS)[0];
    expect(chat.limit.capacity + chat.limit.refillPerSecond * 60).toBeLessThanOrEqual(21);
  });
  it('leaves the console unlimited and lets the operator replace a channel', () => {
    expect(bucketsFor({ channel: 'console', id: 'x' }, DEFAULT_LIMITS)).toEqual([]);
    const wechat = mergeLimits({ wechat: { global: { capacity: 1, refillPerSecond: 2 } } });
    expect(bucketsFor({ channel: 'wechat', id: 'wxid_a' }, wechat).map((r) => r.limit.refillPerSecond)).toEqual([2]);
  });
  it('paces the Wechaty account under WeCom’s published 20 a minute per room and 30 a minute per contact, one a second overall', () => {
    for (const room of ['cityroom@chatroom', 'topic:市中心办不成事工作群']) {
      const to = { channel: 'wechat' as const, id: room };
      expect(isGroupChat(to)).toBe(true);
      const [chat, all] = bucketsFor(to, DEFAULT_LIMITS);
      expect(chat.limit.capacity + chat.limit.refillPerSecond * 60).toBeLessThanOrEqual(20);
      expect(all).toMatchObject({ bucket: 'delivery:wechat:all', scope: 'global' });
      expect(all.limit.capacity + all.limit.refillPerSecond).toBeLessThanOrEqual(2);
    }
    const [contact] = bucketsFor({ channel: 'wechat', id: 'wx-wuhao' }, DEFAULT_LIMITS);
    expect(contact.limit.capacity + contact.limit.refillPerSecond * 60).toBeLessThanOrEqual(30);
  });
  it('paces the Official Account as its own line: its own bucket, under its daily quota', () => {
    const citizen = { channel: 'wechat' as const, id: 'oa:o-citizen' };
    expect(lineOf(citizen)).toBe('wechat-oa');
    expect(lineOf({ channel: 'wechat', id: 'wx-wuhao' })).toBe('wechat');
    const [chat, all] = bucketsFor(citizen, DEFAULT_LIMITS);
    expect(chat.scope).toBe('chat');
    expect(all.bucket).toBe('delivery:wechat-oa:all');
    // 500,000 customer-service messages a day is the default quota.
    expect(all.limit.refillPerSecond * 86_400).toBeLessThan(500_000);
  });
  it('claims the open line of a channel whose other line is paused', () => {
    const paused = (which: string) => (l: string) => l === which;
    expect(openLinesFilter('wechat', () => false)).toBe(true);
    expect(openLinesFilter('wechat', () => true)).toBe(false);
    expect(openLinesFilter('wechat', paused('wechat-oa'))).toEqual({ 'to.channel': 'wechat', 'to.id': { $nin: [/^oa:/] } });
    expect(openLinesFilter('wechat', paused('wechat'))).toEqual({ 'to.channel': 'wechat', 'to.id': { $in: [/^oa:/] } });
    expect(openLinesFilter('telegram', paused('wechat'))).toBe(true);
  });
});

describe('backoff', () => {
  it('doubles per attempt, stays within [half, full] of the ceiling and is capped', () => {
    const o = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffMs(1, o, () => 0)).toBe(500);
    expect(backoffMs(3, o, () => 1)).toBe(4000);
    expect(backoffMs(20, o, () => 1)).toBe(10_000);
  });
});
