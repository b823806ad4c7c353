// The rough edges a window clerk and a duty officer hit typing commands (issue 15): one rule for
// a stated basis, the refusal notice as the citizen reads it, refusals that name the command
// that works, and the case screen and listing showing what staff need.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeInput } from '../../services/cases/index.js';
import { handleStaffText } from '../../services/staff-commands/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('clerk_edges');
});
afterAll(() => desk?.close());

async function screen(staffId: string, line: string): Promise<string> {
  const { app } = desk;
  const staff = (await desk.staff(staffId)).staff;
  const says = await handleStaffText({ cases: app.cases, directory: app.directory, calendar: app.calendar, clock: app.clock, staff }, line);
  return says
    .map((s) => (s.kind === 'choices' ? [s.text, ...s.choices.map((c, i) => `${i + 1}. ${c.label} [${c.id}]`)].join('\n') : s.kind === 'text' ? s.text : s.name))
    .join('\n');
}

let chat = 7100;
async function fileOnline(over: Partial<IntakeInput> = {}): Promise<string> {
  const id = String(chat++);
  const r = await desk.app.cases.register(
    {
      site: 'city',
      channel: 'telegram',
      reporter: { name: '李华', phone: '13912345678', identity: { channel: 'telegram', id } },
      matter: '食品经营许可',
      account: '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次。',
      ...over,
    },
    desk.citizen(id),
  );
  if (!r.registered) throw new Error('not registered');
  return r.number;
}

const citizenTexts = async (n: string) =>
  (await desk.outbox(n)).filter((m) => m.audience === 'citizen').map((m) => ('text' in m.sayable ? m.sayable.text : ''));

describe('a stated basis names a law, rule or policy, for every kind of "no"', () => {
  it('refuses 依据 无 on a refusal notice and accepts a named regulation', async () => {
    const n = await fileOnline();
    await screen('wangfang', `#${n} 分类 一般`);
    const refused = await screen('zhangmin', `#${n} 不予受理 申请人不具备经营资格 依据 无`);
    expect(refused).toMatch(/^⚠️ .*依据须写明具体的法律、法规、规章或政策文件/);
    expect((await desk.caseDoc(n)).handling).toHaveLength(0);
    const ok = await screen('zhangmin', `#${n} 不予受理 申请人不具备经营资格 依据 《食品经营许可管理办法》第十二条`);
    expect(ok).toContain('已记录');
  });

  it('refuses 依据 无 on an ineligible unit answer, as for a refusal', async () => {
    const n = await fileOnline({ matter: '义务教育入学', account: '孩子入学资格审核，教育局不在中心办公，找不到人。' });
    await screen('wangfang', `#${n} 分类 未进驻`);
    await screen('zhangmin', `#${n} 草拟 教育局`);
    await screen('liuyang', `#${n} 转办 教育局`);
    await screen('wuhao', `#${n} 签收`);
    const answer = await screen('wuhao', `#${n} 答复 不符合 经审核不在本学区划片范围内 依据 无`);
    expect(answer).toMatch(/^⚠️ .*依据须写明具体的法律、法规、规章或政策文件/);
    expect((await desk.caseDoc(n)).transfers[0].reply).toBeUndefined();
    for (const placeholder of ['没有', '见上', '暂无']) {
      expect(await screen('wuhao', `#${n} 答复 不符合 经审核不在本学区划片范围内 依据 ${placeholder}`)).toMatch(/^⚠️ /);
    }
    expect(await screen('wuhao', `#${n} 答复 不符合 经审核不在本学区划片范围内 依据 《义务教育法》第十二条`)).toContain('不符合办理条件');
  });

  it('refuses 依据 无 when resolving as 不予受理', async () => {
    const n = await fileOnline();
    await screen('wangfang', `#${n} 分类 一般`);
    expect(await screen('zhangmin', `#${n} 办结 不予受理 申请人不具备经营资格 依据 无`)).toMatch(/^⚠️ .*依据须写明/);
    expect((await desk.caseDoc(n)).status).toBe('handling');
  });
});

describe('the refusal notice the citizen receives', () => {
  it('has the 不予受理通知书 title, the reason, the basis and the remedies with their time limits', async () => {
    const n = await fileOnline();
    await screen('wangfang', `#${n} 分类 一般`);
    await screen('zhangmin', `#${n} 不予受理 申请人不具备经营资格 依据 《食品经营许可管理办法》第十二条`);
    const notice = (await citizenTexts(n)).find((t) => t.includes('不予受理'));
    expect(notice).toBeDefined();
    expect(notice).toMatch(/^【不予受理通知书】/);
    expect(notice).not.toContain('【办理结果】');
    expect(notice).toContain('理由：申请人不具备经营资格');
    expect(notice).toContain('依据：《食品经营许可管理办法》第十二条');
    expect(notice).toContain('六十日内依法申请行政复议');
    expect(notice).toContain('六个月内依法向人民法院提起行政诉讼');
  });

  it('sends the result of a case resolved as 不予受理 as the notice too', async () => {
    const n = await fileOnline();
    await screen('wangfang', `#${n} 分类 一般`);
    await screen('zhangmin', `#${n} 办结 不予受理 申请人不具备经营资格 依据 《食品经营许可管理办法》第十二条`);
    await screen('zhangmin', `#${n} 回复`);
    const result = (await desk.outbox(n)).find((m) => m.reason === 'citizen.result');
    const t = result && 'text' in result.sayable ? result.sayable.text : '';
    expect(t).toMatch(/^【不予受理通知书】/);
    expect(t).toContain('申请行政复议');
  });
});

describe('a refused step names the command that works', () => {
  it('answers 反馈 on a resolved case with 回复', async () => {
    const n = await fileOnline();
    await screen('wangfang', `#${n} 分类 一般`);
    await screen('zhangmin', `#${n} 办结 办理 已当场受理办理`);
    const out = await screen('zhangmin', `#${n} 反馈 已经办结请查收`);
    expect(out).toContain('不能执行“反馈（首次反馈）”');
    expect(out).toContain(`#${n} 回复`);
    expect(out).not.toMatch(/可以执行：反馈[。、]/);
  });
});
