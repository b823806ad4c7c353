// The follow-up question answered as people answer it: in words or by its number, at any later
// moment, from the menu too; and a case that ended is no longer offered to add to or withdraw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCoordination } from '../../services/coordination/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { allText, announcedNumber, chat, engineFor, writeReport } from './harness.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('follow_up_words');
});
afterAll(() => desk?.close());

async function repliedCase() {
  const c = chat(engineFor(desk, createMemoryCoordination()));
  await writeReport(c);
  const number = announcedNumber(await c.press('summary:submit'));
  const { cases } = desk.app;
  await cases.classify(number, 'GENERAL', await desk.staff('wangfang'));
  const clerk = await desk.staff('zhangmin');
  await cases.resolve(number, { outcome: 'explained', text: '已向诉求人解释办理流程' }, clerk);
  await cases.reply(number, undefined, clerk);
  return { c, number };
}

describe('a typed answer to the follow-up', () => {
  it('"不满意，还是没办" after filing records the rating with its words and the case goes to supervision', async () => {
    const { c, number } = await repliedCase();
    const out = await c.say('不满意，还是没办');
    expect(allText(out)).not.toContain('已补充到');
    const doc = await desk.caseDoc(number);
    expect(doc.status).toBe('rehandling');
    expect(doc.followUps[0]).toMatchObject({ satisfaction: 'dissatisfied', comment: '还是没办' });
    expect(doc.handling.filter((h) => h.kind === 'supplement')).toHaveLength(0);
  });

  it('"满意" from the main menu records it, asks for a comment, and the case can be archived', async () => {
    const { c, number } = await repliedCase();
    await c.say('菜单');
    const asked = await c.say('满意');
    expect(allText(asked)).not.toContain('没有看懂');
    expect((await desk.caseDoc(number)).status).toBe('verified');
    await c.say('没有了');
    expect((await desk.app.cases.archive(number, await desk.staff('zhangmin'))).case.status).toBe('archived');
  });

  it('the number of the question works after filing', async () => {
    const { c, number } = await repliedCase();
    await c.say('2');
    const doc = await desk.caseDoc(number);
    expect(doc.followUps[0]?.satisfaction).toBe('basically_satisfied');
    expect(doc.handling.filter((h) => h.kind === 'supplement')).toHaveLength(0);
  });

  it('is not read into a question that starts with the word', async () => {
    const { c, number } = await repliedCase();
    await c.say('满意度怎么评');
    expect((await desk.caseDoc(number)).status).toBe('replied');
  });
});

describe('after 备案', () => {
  it('keeps a comment sent after archiving, and the menu no longer offers 补充 or 撤回', async () => {
    const { c, number } = await repliedCase();
    await c.press(`fu:${number}:satisfied`);
    await desk.app.cases.archive(number, await desk.staff('zhangmin'));
    const thanked = await c.say('办得很快，谢谢窗口的工作人员');
    expect(allText(thanked)).not.toContain('没能');
    expect((await desk.caseDoc(number)).followUps[0].comment).toBe('办得很快，谢谢窗口的工作人员');
    const menu = await c.say('菜单');
    const choices = menu.flatMap((m) => (m.kind === 'choices' ? m.choices.map((x) => x.id) : []));
    expect(choices).toContain('start:report');
    expect(choices).not.toContain('start:supplement');
    expect(choices).not.toContain('start:withdraw');
    const typed = await c.say('撤回');
    expect(allText(typed)).not.toMatch(/已已|Error|at .*\.ts/);
  });

  it('tells once that an archived case takes no more, instead of claiming it was added', async () => {
    const { c, number } = await repliedCase();
    await c.press(`fu:${number}:satisfied`);
    await c.say('没有了');
    await c.press('start:supplement');
    await desk.app.cases.archive(number, await desk.staff('zhangmin'));
    const out = await c.say('还有一张收据忘了发');
    expect(allText(out)).toContain(`${number} 号反映当前状态：已备案`);
    expect(allText(out)).not.toContain('已补充到');
  });
});
