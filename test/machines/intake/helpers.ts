// Drives the intake machine the way the engine will: pure steps, one event at a time.

import {
  type IntakeEffect,
  type IntakeEvent,
  type IntakeReply,
  type IntakeSnapshot,
  startIntake,
  step,
} from '../../../machines/intake/index.js';

export const say = (text: string): IntakeEvent => ({ type: 'text', text });
export const press = (id: string): IntakeEvent => ({ type: 'choice', id });
export const command = (name: 'start' | 'help' | 'cancel' | 'restart' | 'progress' | 'withdraw'): IntakeEvent => ({
  type: 'command',
  name,
});

export interface Run {
  snapshot: IntakeSnapshot;
  /** Replies of the last event only. */
  replies: IntakeReply[];
  effects: IntakeEffect[];
  keys: string[];
  /** Everything the machine asked the engine to do during the run. */
  allEffects: IntakeEffect[];
}

export function run(events: IntakeEvent[], from: IntakeSnapshot = startIntake()): Run {
  let snapshot = from;
  let replies: IntakeReply[] = [];
  let effects: IntakeEffect[] = [];
  const allEffects: IntakeEffect[] = [];
  for (const e of events) {
    ({ snapshot, replies, effects } = step(snapshot, e));
    allEffects.push(...effects);
  }
  return { snapshot, replies, effects, keys: replies.map((r) => r.key), allEffects };
}

/** Typed the way a WeChat user would: numbers and words only. */
export const TO_SUMMARY: IntakeEvent[] = [
  say('你好'),
  say('1'), // report
  say('同意'),
  say('都不涉及'),
  say('营业执照变更'),
  say('2'), // several windows → COMPLEX
  say('窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。'),
  say('说完了'),
  say('3号窗口'),
  say('张三'),
  say('138 1234 5678'),
];

export const TIMELINE = { firstFeedbackBy: '11月24日（周二）17:30', transferReplyBy: '11月27日（周五）' };
