// Random conversations: whatever citizens and the engine send, in whatever order, the dialogue
// never throws, never leaves its known states, says something renderable, and can always be left.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  ALL_CHOICE_IDS,
  intakeMachine,
  type IntakeEvent,
  type IntakeSnapshot,
  STEPS,
  startIntake,
  step,
} from '../../../machines/intake/index.js';
import { renderIntakeReply } from '../../../services/locales/render-intake.js';

const words = fc.constantFrom(
  '1', '2', '3', '4', '5', '6', '7', '是', '否', '确认', '取消', '菜单', '帮助', '进度', '说完了', '不清楚',
  '同意', '都不涉及', '营业执照变更', '张三', '13812345678', '0512-6123456', '20261124001', '法院', '上访过',
  '气死了', '不满意', '没有了', '修改', '电话', '再试一次', '继续填写', '补充', '撤回', '确认撤回', '不撤回', 'hello', '', '   ',
  '窗口让我来回跑了三趟还是没办成', '长'.repeat(5001),
);

const event: fc.Arbitrary<IntakeEvent> = fc.oneof(
  { weight: 6, arbitrary: words.map((text) => ({ type: 'text' as const, text })) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ type: 'text' as const, text })) },
  { weight: 4, arbitrary: fc.constantFrom(...ALL_CHOICE_IDS, 'bogus').map((id) => ({ type: 'choice' as const, id })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('photo' as const, 'file' as const).map((kind) => ({ type: 'attachment' as const, kind, ref: `r-${kind}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('sticker' as const, 'voice' as const, 'location' as const, 'video' as const, 'other' as const)
      .map((kind) => ({ type: 'unsupported' as const, kind })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('start' as const, 'help' as const, 'cancel' as const, 'restart' as const, 'progress' as const, 'withdraw' as const)
      .map((name) => ({ type: 'command' as const, name })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<IntakeEvent>(
      { type: 'submitted', caseNumber: 'C1', timeline: { firstFeedbackBy: '今天17:30' } },
      { type: 'submitFailed', reason: 'x' },
      { type: 'progressResult', found: true, caseNumber: 'C1', lines: ['已受理'] },
      { type: 'progressResult', found: false },
      { type: 'progressResult', found: true, caseNumber: 'C2', lines: ['处办中'], openCase: 'C2' },
      { type: 'withdrawn', caseNumber: 'C1' },
      { type: 'withdrawFailed', reason: '已办结，不能撤回。' },
      { type: 'openCases', numbers: [] },
      { type: 'openCases', numbers: ['C1'] },
      { type: 'openCases', numbers: ['C1', 'C2'] },
      { type: 'followUpAsked', caseNumber: 'C1' },
      { type: 'expired' },
    ),
  },
);

/** Restart gets back to the menu; while registering, the engine's answer comes first. */
function wayOut(s: IntakeSnapshot): boolean {
  let cur = s;
  if (cur.value === 'submitting') cur = step(cur, { type: 'submitFailed', reason: 'probe' }).snapshot;
  const out = step(cur, { type: 'command', name: 'restart' });
  return out.snapshot.value === 'menu' && out.replies.some((r) => r.key === 'menu.prompt');
}

describe('random conversations', () => {
  it('never throw, stay in known states, always answer renderably, always leave a way out', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.constantFrom('zh' as const, 'en' as const), (events, locale) => {
        let s = startIntake({ locale });
        for (const e of events) {
          const r = step(s, e);
          // step reuses one actor scope; xstate's own transition, with a fresh one, must agree.
          const [ref] = transition(intakeMachine, s, e);
          expect(r.snapshot.value).toBe(ref.value);
          expect(r.snapshot.context).toEqual(ref.context);
          s = r.snapshot;
          expect(s.status).toBe('active');
          expect(STEPS).toContain(s.value);
          expect(s.context.step).toBe(s.value);
          // The citizen always hears something, except for engine results with nothing to tell.
          if (!['submitFailed', 'submitted', 'progressResult', 'followUpAsked', 'expired', 'withdrawn', 'withdrawFailed', 'openCases'].includes(e.type)) {
            expect(r.replies.length).toBeGreaterThan(0);
          }
          for (const reply of r.replies) {
            const out = renderIntakeReply(reply, locale);
            const shown = out.kind === 'choices' ? [out.text, ...out.choices.map((c) => c.label)] : out.kind === 'text' ? [out.text] : [];
            for (const t of shown) expect(t).not.toMatch(/\{\w+\}/);
          }
          expect(JSON.stringify(s.context).length).toBeLessThan(40_000);
        }
        expect(wayOut(s)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
