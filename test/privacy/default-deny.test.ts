// Default deny, the set of units complained about, the composed slip, the multi-role liaison and
// the promises made to citizens and liaisons: each as a user of the desk would notice it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '../../models/case.js';
import type { IntakeInput, Performer } from '../../services/cases/index.js';
import { reminderText } from '../../services/deadlines/render.js';
import type { DueReminder } from '../../services/deadlines/rules.js';
import { handleStaffText } from '../../services/staff-commands/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
let multi: Performer & { kind: 'staff' };
beforeAll(async () => {
  desk = await startDesk('privacy_default_deny');
  // A window clerk who is also duty officer and the liaison of their own unit (海虞镇).
  await desk.app.models.Staff.create({
    _id: 'multi',
    name: '多角色',
    site: 'city',
    roles: ['window_clerk', 'duty_officer', 'unit_liaison'],
    unit: 'haiyu',
    identities: [{ channel: 'console', id: 'multi' }],
    active: true,
  });
  await desk.app.models.Unit.updateOne({ _id: 'haiyu' }, { $addToSet: { liaisons: 'multi' } });
  multi = await desk.staff('multi');
});
afterAll(() => desk?.close());

const NAME = '钱小红';
const PHONE = '13776543210';
const input = (over: Partial<IntakeInput> = {}): IntakeInput => ({
  site: 'city',
  channel: 'telegram',
  reporter: { name: NAME, phone: PHONE, identity: { channel: 'telegram', id: '4242' } },
  matter: '义务教育入学',
  account: `我是${NAME}，电话${PHONE}，教育局不在中心办公，找不到人。`,
  ...over,
});
async function register(over: Partial<IntakeInput> = {}) {
  const r = await desk.app.cases.register(input(over), desk.citizen('4242'));
  if (!r.registered) throw new Error('not registered');
  return r.number;
}
const identifies = (s: string) => s.includes(PHONE) || s.includes(NAME) || s.includes('7654');
const slipTo = async (n: string, unit: string) => {
  const liaisons = (await desk.app.directory.unit(unit)).liaisons;
  return (await desk.outbox(n)).filter((m) => m.reason === 'unit.transfer_slip' && liaisons.includes(m.to.id)).map((m) => JSON.stringify(m.sayable));
};
const screen = async (p: Performer & { kind: 'staff' }, line: string) => {
  const { app } = desk;
  const says = await handleStaffText({ cases: app.cases, directory: app.directory, calendar: app.calendar, clock: app.clock, staff: p.staff }, line);
  return says.map((s) => (s.kind === 'file' ? s.name : [s.text, ...(s.kind === 'choices' ? s.choices.map((c) => c.id) : [])].join('\n'))).join('\n');
};

describe('default deny: no unit identifies the reporter until 被反映单位 is settled', () => {
  it('a slip sent before staff answered 被反映单位 carries no identity, even to a unit nobody complained about', async () => {
    const n = await register();
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'));
    await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    const [slip] = await slipTo(n, 'jyj');
    expect(identifies(slip)).toBe(false);
    expect(slip).toContain('（按规定不向被反映单位提供）');
    const view = await desk.app.cases.view((await desk.staff('wuhao')).staff, n);
    expect(view.reporter).toEqual({ visibility: 'hidden' });
    expect(identifies(JSON.stringify(view))).toBe(false);
  });

  it('once staff answer "none", a unit that must call the citizen is given name and phone', async () => {
    const n = await register();
    const duty = await desk.staff('wangfang');
    expect(await screen(duty, `#${n} 分类 未进驻 被反映单位 无`)).toContain(`事项 ${n} 的被反映单位已确认：无。`);
    await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    const [slip] = await slipTo(n, 'jyj');
    expect(slip).toContain(`诉求人：${NAME}`);
    expect(slip).toContain(`联系方式：${PHONE}`);
  });

  it('"none" is refused while units are recorded; 被反映单位 takes several units and settles', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    const duty = await desk.staff('wangfang');
    expect(await screen(duty, `#${n} 被反映单位 无`)).toMatch(/已登记被反映单位：市教育局（jyj），不能答复“无”/);
    expect((await desk.caseDoc(n)).unitsSettled).toBeNull();
    const out = await screen(duty, `#${n} 被反映单位 jyj 住建局`);
    expect(out).toContain('被反映单位已确认：市教育局、市住房和城乡建设局');
    const doc = await desk.caseDoc(n);
    expect(doc.involvedUnits).toEqual(['jyj', 'zjj']);
    expect(doc.unitsSettled?.by.id).toBe('wangfang');
  });

  it('after classification the duty officer is asked 被反映单位, with the citizen’s words and the suggested unit', async () => {
    const n = await register({ involvedUnit: 'jyj', unitAsNamed: { words: '教育局那边', suggested: ['jyj'] } });
    const out = await screen(await desk.staff('wangfang'), `#${n} 分类 未进驻`);
    expect(out).toContain('请答复被反映单位（答复前任何单位都看不到反映人信息）：诉求人所述“教育局那边”，建议：市教育局（jyj）');
    expect(out).toContain(`cmd:#${n} 被反映单位 jyj`);
    const view = await screen(await desk.staff('wangfang'), `#${n}`);
    expect(view).toContain('被反映单位：市教育局（待巡导员确认；确认前任何单位都看不到反映人信息）');
    expect(view).toContain('诉求人所述：“教育局那边”（匹配：市教育局）');
  });
});

describe('involvedUnits is a set', () => {
  it('涉及 adds and never replaces: the unit the citizen named stays hidden from the reporter', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    const duty = await desk.staff('wangfang');
    expect(await screen(duty, `#${n} 涉及 zjj`)).toContain('涉及 市住房和城乡建设局');
    await desk.app.cases.classify(n, 'NOT_STATIONED', duty, undefined, ['jyj']);
    expect((await desk.caseDoc(n)).involvedUnits).toEqual(['jyj', 'zjj']);
    await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    const [slip] = await slipTo(n, 'jyj');
    expect(identifies(slip)).toBe(false);
  });

  it('taking a unit out needs a reason, is on the timeline, and is refused once the unit has a slip', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    const duty = await desk.staff('wangfang');
    await screen(duty, `#${n} 涉及 zjj`);
    expect(await screen(duty, `#${n} 涉及 移除 zjj`)).toMatch(/请填写移除原因/);
    expect(await screen(duty, `#${n} 涉及 移除 zjj 原因：核实后诉求人反映的是教育局`)).toContain('已将 市住房和城乡建设局 移出被反映单位');
    const doc = await desk.caseDoc(n);
    expect(doc.involvedUnits).toEqual(['jyj']);
    expect(doc.involvedRemoved?.[0]).toMatchObject({ unit: 'zjj', reason: '核实后诉求人反映的是教育局' });
    expect(doc.timeline.at(-1)?.text).toBe('移出被反映单位：市住房和城乡建设局（原因：核实后诉求人反映的是教育局）');
    await desk.app.cases.classify(n, 'NOT_STATIONED', duty, undefined, ['jyj']);
    await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    expect(await screen(duty, `#${n} 涉及 移除 jyj 原因：诉求人说弄错了`)).toContain('市教育局 已收到本事项的转办单，不能再移出被反映单位');
  });

  it('a document written before the set (involvedUnit alone, nothing settled) loads and still hides the reporter', async () => {
    const n = await register();
    await desk.app.models.Case.collection.updateOne({ number: n }, { $unset: { involvedUnits: '', unitsSettled: '' }, $set: { involvedUnit: 'zjj' } });
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'));
    await desk.app.cases.transfer(n, { unit: 'zjj' }, await desk.staff('liuyang'));
    const [slip] = await slipTo(n, 'zjj');
    expect(identifies(slip)).toBe(false);
    expect((await desk.app.cases.view((await desk.staff('wangfang')).staff, n)).involvedUnits).toEqual(['zjj']);
  });
});

describe('the slip is composed and previewed, not forwarded', () => {
  it('the clerk’s draft is the account without identifiers, and the preview is exactly what the unit receives', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, ['jyj']);
    const clerk = await desk.staff('zhangmin');
    const draft = await desk.app.cases.draftTransfer(n, { unit: 'jyj' }, clerk);
    expect(draft.case.transferDraft).toMatchObject({ unit: 'jyj', edited: false, identityShared: false });
    expect(draft.preview).toContain('诉求内容：义务教育入学：我是诉求人，电话（联系方式已隐去），教育局不在中心办公，找不到人。');
    const t = await desk.app.cases.transfer(n, { unit: 'jyj', requirePreview: true }, await desk.staff('liuyang'));
    const sent = t.case.outbox.find((m) => m.reason === 'unit.transfer_slip');
    expect(sent?.sayable).toEqual({ kind: 'text', text: draft.preview });
    expect(t.case.transferDraft).toBeNull();
  });

  it('an edited draft that still identifies the reporter is refused with what was found; a clean one is stored and shown', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, ['jyj']);
    const clerk = await desk.staff('zhangmin');
    const refused = await screen(clerk, `#${n} 草拟 jyj 内容：请联系錢 小紅（一三七七六五四三二一〇）核实入学资格`);
    expect(refused).toContain('诉求内容仍含有可识别诉求人的信息，不能发给该单位：诉求人姓名“錢 小紅”、电话号码“（一三七七六五四三二一〇”');
    expect((await desk.caseDoc(n)).transferDraft).toBeNull();
    const ok = await screen(clerk, `#${n} 草拟 jyj 内容：诉求人反映孩子入学资格审核找不到人办理，请核实并答复窗口`);
    expect(ok).toContain('【转办单预览】以下是市教育局将收到的全文（不含诉求人姓名和联系方式）');
    expect(ok).toContain('诉求内容：诉求人反映孩子入学资格审核找不到人办理，请核实并答复窗口');
    expect(ok).toContain(`核对无误后发送：#${n} 转办 jyj`);
    expect((await desk.caseDoc(n)).transferDraft).toMatchObject({ edited: true, by: { id: 'zhangmin' } });
  });

  it('转办 with nothing previewed shows the preview first and sends nothing; the second 转办 sends it', async () => {
    const n = await register();
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, 'none');
    const coord = await desk.staff('liuyang');
    // Named as people name it: 教委 is 市教育局's alias.
    const first = await screen(coord, `#${n} 转办 教委`);
    expect(first).toContain('【转办单预览】以下是市教育局将收到的全文（该单位不是被反映单位，将看到诉求人姓名和联系方式）');
    expect((await desk.caseDoc(n)).transfers).toHaveLength(0);
    expect(await screen(coord, `#${n} 转办 jyj`)).toContain(`转办单 ${n}-1 → 市教育局`);
  });

  it('a preview taken before the unit was added to 涉及 no longer counts: the unit would now read something else', async () => {
    const n = await register();
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, 'none');
    await desk.app.cases.draftTransfer(n, { unit: 'jyj' }, await desk.staff('zhangmin'));
    await desk.app.cases.addInvolvedUnits(n, ['jyj'], await desk.staff('wangfang'));
    await expect(desk.app.cases.transfer(n, { unit: 'jyj', requirePreview: true }, await desk.staff('liuyang'))).rejects.toThrow(/还没有预览过/);
  });

  it('a liaison’s case screen shows what the slip said, not the citizen’s account or comments', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, ['jyj']);
    await desk.app.cases.transfer(n, { unit: 'jyj', content: '诉求人反映入学资格审核找不到人办理，请核实' }, await desk.staff('liuyang'));
    const view = await desk.app.cases.view((await desk.staff('wuhao')).staff, n);
    expect(view.account).toBe('诉求人反映入学资格审核找不到人办理，请核实');
    expect(view.involvedUnits).toEqual([]);
    expect(JSON.stringify(view.timeline)).not.toContain('分类为');
  });
});

describe('a staff member with several roles acts for their own unit only', () => {
  it('cannot sign for or answer a slip addressed to another unit, by service or by command', async () => {
    const n = await register();
    await desk.app.cases.classify(n, 'NOT_STATIONED', multi, undefined, 'none');
    await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    await expect(desk.app.cases.unitAck(n, multi)).rejects.toThrow(/不是发给您所在单位的，不能签收/);
    expect(await screen(multi, `#${n} 答复 已联系诉求人，资格审核通过`)).toContain('不是发给您所在单位的，不能答复');
    const doc = await desk.caseDoc(n);
    expect(doc.transfers[0].state).toBe('issued');
    expect(doc.transfers[0].reply).toBeUndefined();
    // The unit's own liaison can.
    await desk.app.cases.unitAck(n, await desk.staff('wuhao'));
  });

  it('signs for and answers a slip to their own unit, recorded as that unit’s', async () => {
    const n = await register();
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, 'none');
    await desk.app.cases.transfer(n, { unit: 'haiyu' }, await desk.staff('liuyang'));
    await desk.app.cases.unitAck(n, multi);
    expect(await screen(multi, `#${n} 答复 已联系诉求人，镇里已受理办理`)).toContain(`海虞镇为民服务中心 已答复事项 ${n}（已处办）`);
    const doc = await desk.caseDoc(n);
    expect(doc.transfers.map((t) => [t.unit, t.state])).toEqual([['haiyu', 'replied']]);
    expect(doc.transfers[0].acknowledgedBy?.id).toBe('multi');
    expect(doc.transfers[0].reply?.by.id).toBe('multi');
  });

  it('a deactivated liaison no longer receives slips, and a deactivated member sees no listing', async () => {
    await desk.app.models.Staff.updateOne({ _id: 'hanmei' }, { $set: { active: false } });
    try {
      const n = await register();
      await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, 'none');
      await desk.app.cases.transfer(n, { unit: 'haiyu' }, await desk.staff('liuyang'));
      const to = (await desk.outbox(n)).filter((m) => m.reason === 'unit.transfer_slip').map((m) => m.to.id);
      expect(to).toEqual(['multi']);
      await expect(desk.app.cases.list((await desk.staff('hanmei')).staff)).rejects.toThrow(/已不在工作人员名录中/);
    } finally {
      await desk.app.models.Staff.updateOne({ _id: 'hanmei' }, { $set: { active: true } });
    }
  });
});

describe('what the citizen and the liaison are promised is what happens', () => {
  const text = (doc: CaseDoc, reason: string) => doc.outbox.filter((m) => m.reason === reason).map((m) => ('text' in m.sayable ? m.sayable.text : '')).join('\n');

  it('slip without the contact: the window contacts the citizen, the unit answers through the window', async () => {
    const n = await register({ involvedUnit: 'jyj' });
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, ['jyj']);
    const t = await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    const citizen = text(t.case, 'citizen.transferred');
    expect(citizen).not.toContain('承办单位将主动与您联系');
    expect(citizen).toContain('您的姓名和联系方式不会提供给该单位；单位将办理情况答复窗口，由窗口与您联系');
    const slip = text(t.case, 'unit.transfer_slip');
    expect(slip).not.toContain('联系诉求人，');
    expect(slip).toContain('请将处理情况答复窗口，由窗口联系诉求人');
    const acked = await screen(await desk.staff('wuhao'), `#${n} 签收`);
    expect(acked).not.toContain('请于应反馈时间前联系诉求人');
    expect(acked).toContain('将处理情况答复窗口（转办单不含诉求人信息，由窗口联系诉求人）');
    const doc = await desk.caseDoc(n);
    const reminder = { deadline: 'unitReply', dueAt: doc.transfers[0].replyDueAt, provisional: false, slip: { number: doc.transfers[0].number, unit: 'jyj' }, key: 'k', level: 1, fireAt: new Date(), targets: [], text: 'unitReplyLiaison' } as unknown as DueReminder;
    const said = await reminderText(reminder, doc, desk.clock.now(), desk.app.calendar, desk.app.directory);
    expect('text' in said && said.text).not.toContain('联系诉求人并答复');
    expect('text' in said && said.text).toContain('将办理结果答复窗口（由窗口联系诉求人）');
  });

  it('slip with the contact (a unit nobody complained about): the unit calls the citizen, and both are told so', async () => {
    const n = await register();
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, 'none');
    const t = await desk.app.cases.transfer(n, { unit: 'jyj' }, await desk.staff('liuyang'));
    expect(text(t.case, 'citizen.transferred')).toContain('承办单位将直接与您联系');
    expect(text(t.case, 'unit.transfer_slip')).toContain('请直接联系诉求人办理');
    expect(await screen(await desk.staff('wuhao'), `#${n} 签收`)).toContain('请于应反馈时间前联系诉求人并答复');
  });
});

describe('who really reads what is addressed to a unit', () => {
  it('a slip to a village without liaisons of its own reaches its town with no identity when the case is about the town', async () => {
    const n = await register({ involvedUnit: 'haiyu' });
    await desk.app.cases.classify(n, 'NOT_STATIONED', await desk.staff('wangfang'), undefined, ['haiyu']);
    await desk.app.cases.transfer(n, { unit: 'fushan-v' }, await desk.staff('liuyang'));
    const doc = await desk.caseDoc(n);
    expect(doc.transfers.at(-1)).toMatchObject({ unit: 'fushan-v', identityShared: false });
    // 福山村 has no liaison: 海虞镇's read its slips.
    const [slip] = await slipTo(n, 'haiyu');
    expect(slip).toContain('福山村');
    expect(identifies(slip)).toBe(false);
    // ...and they are the ones who sign for it and answer it, still without seeing who reported.
    const hanmei = await desk.staff('hanmei');
    const view = await desk.app.cases.view(hanmei.staff, n);
    expect(identifies(JSON.stringify(view))).toBe(false);
    await desk.app.cases.unitAck(n, hanmei);
    await desk.app.cases.unitReply(n, { text: '村委会已核实，下周出具证明', eligible: true }, hanmei);
    expect((await desk.caseDoc(n)).transfers.at(-1)).toMatchObject({ state: 'replied', reply: { text: '村委会已核实，下周出具证明' } });
  });

  it('the 办不成事 clerk seated at 市场准入’s counter sees no identity on a case about that window', async () => {
    const n = await register({ involvedUnit: 'scrz', matter: '营业执照变更', account: `我是${NAME}，电话${PHONE}，市场准入窗口让我来回跑了三趟。` });
    const clerk = await desk.app.cases.view((await desk.staff('zhangmin')).staff, n);
    expect(clerk.reporter).toEqual({ visibility: 'hidden' });
    expect(identifies(JSON.stringify(clerk))).toBe(false);
    // The duty officer, who sits at no window, still sees the masked identity.
    expect((await desk.app.cases.view((await desk.staff('wangfang')).staff, n)).reporter).toMatchObject({ visibility: 'masked' });
  });
});
