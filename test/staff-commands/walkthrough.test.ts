// Staff working cases purely by typing command lines, as they would in the console, WeChat or
// Telegram: what each person sees on screen after each line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sayable } from '../../models/sayable.js';
import { handleStaffText, parseStaffCommand } from '../../services/staff-commands/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('staff_commands');
});
afterAll(() => desk?.close());

/** Runs one line as `staffId` and returns everything the screen shows, choices as numbered lines. */
async function run(staffId: string, line: string, idempotencyKey?: string): Promise<{ screen: string; says: Sayable[] }> {
  const { app } = desk;
  const staff = (await desk.staff(staffId)).staff;
  const says = await handleStaffText({ cases: app.cases, directory: app.directory, calendar: app.calendar, clock: app.clock, staff }, line, { idempotencyKey });
  const screen = says
    .map((s) => (s.kind === 'choices' ? [s.text, ...s.choices.map((c, i) => `${i + 1}. ${c.label} [${c.id}]`)].join('\n') : s.kind === 'text' ? s.text : s.name))
    .join('\n');
  return { screen, says };
}
const screen = async (staffId: string, line: string, key?: string) => (await run(staffId, line, key)).screen;

async function registerByWindow(matter: string, account: string): Promise<string> {
  const out = await screen('zhangmin', `登记 王小明 13812345678 事项：${matter} 情况：${account}`);
  const m = /事项编号 (\d{11})/.exec(out);
  if (!m) throw new Error(`not registered: ${out}`);
  return m[1];
}

describe('a NOT_STATIONED case from the window to the archive, by command texts only', () => {
  it('shows each person the status, the dates in Chinese and the next step', async () => {
    // 登记 by the window clerk, Tuesday 10:00.
    const reg = await screen('zhangmin', '登记 王小明 13812345678 事项：义务教育入学 情况：孩子入学资格审核，教育局不在中心办公，找不到人。');
    expect(reg).toContain('已登记，事项编号 20261124001');
    expect(reg).toContain('受理时间 2026年11月24日（星期二）10:00');
    expect(reg).toContain('当前状态：已受理，待分类。');
    // The clerk may not classify: no classify buttons, but the screen says who does.
    expect(reg).not.toContain('分类：未进驻情形');
    expect(reg).toContain('分类（当日大厅巡导员、效能督查科、系统管理员）');
    const n = '20261124001';

    // Tuesday's duty officer sees the case, masked, with classify choices that are valid commands.
    const view = await run('wangfang', `#${n}`);
    expect(view.screen).toContain(`【事项 ${n}】已受理，待分类`);
    expect(view.screen).toContain('反映人：王** 138****5678');
    expect(view.screen).not.toContain('13812345678');
    expect(view.screen).toContain('分类　2026年11月24日（星期二）11:00　未到期');
    const choice = view.says[0].kind === 'choices' ? view.says[0].choices.find((c) => c.label === '分类：未进驻情形') : undefined;
    expect(choice?.id).toBe(`cmd:#${n} 分类 未进驻`);
    expect(parseStaffCommand(choice!.id)).toEqual({ verb: 'classify', number: n, category: 'NOT_STATIONED' });

    // 分类 by pressing that choice: the text channel sends the id back.
    const classified = await screen('wangfang', choice!.id);
    expect(classified).toContain(`✅ 事项 ${n} 已分类为“未进驻情形”。`);
    expect(classified).toContain('当前状态：处办中。');
    expect(classified).toContain('转办（业务协调科）');

    // Until 被反映单位 is answered the duty officer is asked it, with a choice for "none".
    expect(classified).toContain('请答复被反映单位');
    expect(classified).toContain(`[cmd:#${n} 被反映单位 无]`);
    const settled = await screen('wangfang', `#${n} 被反映单位 无`);
    expect(settled).toContain(`事项 ${n} 的被反映单位已确认：无。`);
    expect(settled).not.toContain('请答复被反映单位');

    // The window clerk fills the slip: the desk proposes the 诉求内容 and shows what the unit will read.
    const drafted = await screen('zhangmin', `#${n} 草拟 教育局`);
    expect(drafted).toContain('【转办单预览】以下是市教育局将收到的全文（该单位不是被反映单位，将看到诉求人姓名和联系方式）');
    expect(drafted).toContain('诉求人：王小明');
    expect(drafted).toContain('请直接联系诉求人办理');
    expect(drafted).toContain(`核对无误后发送：#${n} 转办 jyj`);

    // 转办 by 业务协调科, naming the unit by part of its name: it sends what was previewed.
    const transferred = await screen('liuyang', `#${n} 转办 教育局`);
    expect(transferred).toContain(`转办单 ${n}-1 → 市教育局，应反馈时间 2026年11月27日（星期五）17:00`);
    expect(transferred).toContain('当前状态：已转办，待单位回复。');

    // 签收 and 答复 by the unit's liaison, who sees the case (the unit must contact the citizen).
    const acked = await screen('wuhao', `#${n} 签收`);
    expect(acked).toContain(`市教育局 已签收事项 ${n} 的转办单`);
    desk.clock.advance(24 * 3600e3); // Wednesday
    const answered = await screen('wuhao', `#${n} 答复 已电话联系家长，补录入学信息，资格审核通过，周五前发通知书`);
    expect(answered).toContain(`市教育局 已答复事项 ${n}（已处办）`);
    expect(answered).toContain('当前状态：处办中。');

    // 办结 and 回复 by the window clerk.
    const resolved = await screen('zhangmin', `#${n} 办结 单位已处办 教育局已处理，资格审核通过`);
    expect(resolved).toContain(`事项 ${n} 已办结：承办单位已处办——教育局已处理，资格审核通过。`);
    expect(resolved).toContain('当前状态：已办结，待反馈。');
    expect(resolved).toContain(`[cmd:#${n} 回复]`);
    const replied = await screen('zhangmin', `#${n} 回复`);
    // Five working days from the unit's answer on Wednesday: next Wednesday 17:00.
    expect(replied).toContain('请于 2026年12月2日（星期三）17:00 前完成回访');
    expect(replied).toContain('请电话告知'); // registered at the window: nobody online to message
    expect(replied).toContain('当前状态：已反馈，待回访。');

    // 回访 and 备案.
    const followed = await screen('zhangmin', `#${n} 回访 满意`);
    expect(followed).toContain('当前状态：已核查（回访满意），待备案。');
    const archived = await screen('zhangmin', `#${n} 备案`);
    expect(archived).toContain(`✅ 事项 ${n} 已备案。`);
    expect(archived).toContain('当前状态：已备案。');
    expect(archived).toContain('下一步：该事项已结束。');

    // The whole story is on the case screen, newest last, with dates in Chinese.
    const final = await screen('zhangmin', `#${n} 查看`);
    expect(final).toContain('【事项 20261124001】已备案');
    expect(final).toContain('2026年11月24日（星期二）10:00 王芳：被反映单位已确认：无（本事项不针对任何单位）');
    expect(final).toContain('2026年11月24日（星期二）10:00 张敏：拟写致市教育局的转办单诉求内容');
    expect(final).toContain(`转办单 ${n}-1 → 市教育局（已答复），应反馈时间 2026年11月27日（星期五）17:00`);
    expect(final).toContain('回访：第 1 次 满意');
    expect(final.indexOf('备案归档')).toBeGreaterThan(final.indexOf('回访（第 1 次'));
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });
});

describe('refusals staff can read', () => {
  it('tells a unit liaison who tries to classify which roles may', async () => {
    const n = await registerByWindow('民办培训机构审批', '培训机构审批材料提交后一直没有回音。');
    const out = await screen('wuhao', `#${n} 分类 一般`);
    expect(out).toBe('⚠️ 无权执行“分类”（你的角色：承办单位联络员）。可以执行的角色：当日大厅巡导员、效能督查科、系统管理员。');
    expect((await desk.caseDoc(n)).status).toBe('registered');
  });

  it('answers a malformed case number with the right form', async () => {
    expect(await screen('wangfang', '#123 分类 一般')).toBe('⚠️ “#123”不是有效的事项编号（如 #20261124001）。');
  });

  it('answers a number that does not exist', async () => {
    expect(await screen('wangfang', '#20261124999 查看')).toBe('⚠️ 找不到事项“20261124999”。请核对后重试。');
  });

  it('says what the lifecycle allows when a step comes too early', async () => {
    const n = await registerByWindow('食品经营许可', '窗口说材料不全，但没有告诉缺什么。');
    const out = await screen('zhangmin', `#${n} 备案`);
    expect(out).toMatch(/^⚠️ 当前状态为“已受理，待分类”，不能执行“备案”/);
  });

  it('names the known units when a transfer names an unknown code', async () => {
    const n = await registerByWindow('物业管理', '小区物业问题找不到主管部门。');
    await screen('wangfang', `#${n} 分类 未进驻`);
    const out = await screen('liuyang', `#${n} 转办 xyz`);
    expect(out).toContain('⚠️ 找不到单位“xyz”');
    expect(out).toContain('zjj（市住房和城乡建设局）');
  });
});

describe('free text is stored as typed', () => {
  it('keeps $where and <b> verbatim in the record and on screen', async () => {
    const n = await registerByWindow('不动产转移登记', '登记窗口要求的材料和网上公布的不一致。');
    const out = await screen('zhangmin', `#${n} 备注 {"$where": "1"} <b>加粗</b> $set`);
    expect(out).toContain(`✅ 事项 ${n} 已记录：备注。`);
    const doc = await desk.caseDoc(n);
    expect(doc.handling.at(-1)?.text).toBe('{"$where": "1"} <b>加粗</b> $set');
    expect(await screen('zhangmin', `#${n}`)).toContain('备注：{"$where": "1"} <b>加粗</b> $set');
  });
});

describe('identity and repeats', () => {
  it('shows the full identity only on 身份, to a role that may, and audits it', async () => {
    const n = await registerByWindow('社保参保登记', '参保登记被要求重复提交材料三次。');
    expect(await screen('zhangmin', `#${n} 身份`)).toContain('反映人：王小明 13812345678（完整信息，已留痕）');
    expect(await screen('liuyang', `#${n} 身份`)).toBe('⚠️ 您无权查看反映人完整身份信息。');
    const audits = await desk.app.models.Audit.find({ caseNumber: n, action: 'VIEW_FULL_IDENTITY' }).lean().exec();
    expect(audits).toHaveLength(1);
  });

  it('does nothing the second time a channel redelivers the same message', async () => {
    const n = await registerByWindow('医保异地备案', '异地备案网上办理一直提示失败。');
    await screen('wangfang', `#${n} 分类 一般`);
    await screen('zhangmin', `#${n} 备注 已电话联系`, 'msg-42');
    const again = await screen('zhangmin', `#${n} 备注 已电话联系`, 'msg-42');
    expect(again).toContain('此前已执行过');
    expect((await desk.caseDoc(n)).handling.filter((h) => h.kind === 'note')).toHaveLength(1);
  });
});

describe('desk-wide commands', () => {
  it('lists open cases with their overdue deadlines and view choices', async () => {
    desk.clock.set('2026-11-25T10:00:00+08:00'); // a day later: unclassified cases are late
    const out = await screen('wangfang', '列表');
    expect(out).toMatch(/【在办事项】共 \d+ 件/);
    expect(out).toContain('分类超期');
    expect(out).toMatch(/\[cmd:#\d{11} 查看\]/);
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });

  it('counts the site by status and category', async () => {
    const out = await screen('chenjing', '统计');
    expect(out).toContain('【统计】常熟市政务服务中心，截至 2026年11月24日（星期二）10:00');
    expect(out).toMatch(/按状态：.*已备案 1/);
    expect(out).toMatch(/按类别：.*未进驻情形 2/);
  });

  it("names Tuesday's duty officer", async () => {
    const out = await screen('zhangmin', '值班');
    expect(out).toContain('【今日值班】2026年11月24日（星期二）');
    expect(out).toContain('巡导员：王芳（wangfang）');
    expect(out).toContain('效能督查科：陈静（chenjing）');
  });

  it('lists the units with their codes', async () => {
    const out = await screen('liuyang', 'units');
    expect(out).toContain('未进驻部门：');
    expect(out).toContain('jyj　市教育局');
  });

  it('gives the help text for the person asking', async () => {
    const out = await screen('wuhao', '帮助');
    expect(out).toContain('您的角色：承办单位联络员');
    expect(out).toMatch(/✓ 签收　#20261124001 签收/);
    expect(out).toMatch(/· 分类　#20261124001 分类 一般/);
  });
});
