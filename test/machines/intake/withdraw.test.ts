// Withdrawal by the citizen from the chat: offered for a filed or open case, always confirmed,
// performed by the engine, and answered whichever way the desk decides.
import { describe, expect, it } from 'vitest';
import { renderIntakeReply } from '../../../services/locales/render-intake.js';
import { TIMELINE, TO_SUMMARY, command, press, run, say } from './helpers.js';

const text = (r: ReturnType<typeof run>, locale: 'zh' | 'en' = 'zh') =>
  r.replies.map((reply) => {
    const s = renderIntakeReply(reply, locale);
    return s.kind === 'choices' ? [s.text, ...s.choices.map((c) => c.label)].join(' | ') : s.kind === 'text' ? s.text : '';
  });

const N = '20261124001';
const filed = run([...TO_SUMMARY, press('summary:submit'), { type: 'submitted', caseNumber: N, timeline: TIMELINE }]).snapshot;
const confirming = run([say('菜单'), press('start:withdraw')], filed).snapshot;

describe('the offer', () => {
  it('the menu after filing offers to withdraw that case, by number', () => {
    const r = run([say('菜单')], filed);
    const menu = r.replies.find((x) => x.key === 'menu.prompt');
    expect(menu?.choices?.map((c) => c.id)).toContain('start:withdraw');
    expect(text(r).join('\n')).toContain(`撤回这件反映（${N}）`);
  });

  it('a fresh chat is not offered a withdrawal', () => {
    const r = run([say('你好')]);
    expect(r.replies[1].choices?.map((c) => c.id)).not.toContain('start:withdraw');
  });

  it('a progress result for an open case offers to withdraw it; a closed one does not', () => {
    const open = run([say('hi'), say('进度'), say(N), { type: 'progressResult', found: true, caseNumber: N, lines: ['已受理'], openCase: N }]);
    expect(open.snapshot.value).toBe('menu');
    expect(text(open, 'en').join('\n')).toContain(`Withdraw this report (${N})`);
    const closed = run([{ type: 'progressResult', found: true, caseNumber: N, lines: ['已撤回'] }], open.snapshot);
    expect(closed.replies.at(-1)?.choices?.map((c) => c.id)).not.toContain('start:withdraw');
  });
});

describe('confirming', () => {
  it('asks first, naming the case, saying it closes it and that they can report again', () => {
    const r = run([say('菜单'), press('start:withdraw')], filed);
    expect(r.snapshot.value).toBe('withdrawConfirm');
    expect(r.effects).toEqual([]);
    const [ask] = text(r);
    expect(ask).toContain(N);
    expect(ask).toContain('结案');
    expect(ask).toContain('随时可以重新反映');
    expect(r.replies[0].choices?.map((c) => c.id)).toEqual(['withdraw:confirm', 'withdraw:keep']);
  });

  it.each(['确认撤回', '是', '1', '确认', '撤回'])('"%s" confirms and asks the engine to withdraw', (typed) => {
    const r = run([say(typed)], confirming);
    expect(r.snapshot.value).toBe('withdrawing');
    expect(r.effects).toEqual([{ type: 'withdrawCase', caseNumber: N }]);
  });

  it.each(['不撤回', '否', '2', '取消'])('"%s" keeps the case and returns to the menu', (typed) => {
    const r = run([say(typed)], confirming);
    expect(r.snapshot.value).toBe('menu');
    expect(r.allEffects).toEqual([]);
    expect(text(r)[0]).toContain(`${N} 号反映继续办理`);
    expect(r.replies.at(-1)?.choices?.map((c) => c.id)).toContain('start:withdraw');
  });

  it('a typed "撤回" at the menu picks the offered case without a lookup', () => {
    const r = run([say('菜单'), say('撤回')], filed);
    expect(r.snapshot.value).toBe('withdrawConfirm');
    expect(r.allEffects).toEqual([]);
  });
});

describe('the outcome', () => {
  it('withdrawn: says so and stops offering supplements or another withdrawal', () => {
    const r = run([press('withdraw:confirm'), { type: 'withdrawn', caseNumber: N }], confirming);
    expect(r.snapshot.value).toBe('menu');
    expect(text(r)[0]).toContain(`${N} 号反映已撤回`);
    const ids = r.replies.at(-1)?.choices?.map((c) => c.id);
    expect(ids).not.toContain('start:withdraw');
    expect(ids).not.toContain('start:supplement');
    // What the citizen sends next is not added to the closed case.
    expect(run([say('还有一句')], r.snapshot).allEffects).toEqual([]);
  });

  it('refused by the desk: gives the desk’s reason and keeps the offer', () => {
    const r = run([press('withdraw:confirm'), { type: 'withdrawFailed', reason: '您无权查看或操作事项 X。' }], confirming);
    expect(r.snapshot.value).toBe('menu');
    expect(text(r)[0]).toBe(`${N} 号反映没有撤回：您无权查看或操作事项 X。`);
  });
});

describe('the typed command', () => {
  it('looks up the open cases; exactly one goes to its confirmation', () => {
    let r = run([say('你好'), say('撤回')]);
    expect(r.snapshot.value).toBe('withdrawLookup');
    expect(r.effects).toEqual([{ type: 'listOpenCases' }]);
    r = run([{ type: 'openCases', numbers: [N] }], r.snapshot);
    expect(r.snapshot.value).toBe('withdrawConfirm');
    expect(text(r)[0]).toContain(N);
  });

  it('none open: says so, nothing is withdrawn', () => {
    const r = run([say('hi'), command('withdraw'), { type: 'openCases', numbers: [] }]);
    expect(r.snapshot.value).toBe('menu');
    expect(r.keys[0]).toBe('withdraw.none');
    expect(r.allEffects).toEqual([{ type: 'listOpenCases' }]);
  });

  it('several open: lists them and asks for the number, whose progress then offers the withdrawal', () => {
    let r = run([say('hi'), say('withdraw'), { type: 'openCases', numbers: [N, '20261124002'] }]);
    expect(r.snapshot.value).toBe('progressAsk');
    expect(text(r)[0]).toContain('20261124002');
    r = run([say('20261124002'), { type: 'progressResult', found: true, caseNumber: '20261124002', lines: ['处办中'], openCase: '20261124002' }, say('撤回')], r.snapshot);
    expect(r.snapshot.value).toBe('withdrawConfirm');
    expect(text(r)[0]).toContain('20261124002');
  });

  it('mid-report keeps the draft, which can be resumed after', () => {
    const r = run([...TO_SUMMARY.slice(0, 6), say('撤回'), { type: 'openCases', numbers: [] }, say('继续填写')]);
    expect(r.snapshot.value).toBe('account');
  });
});
