// The rules around the loop: numbering, idempotency, optimistic concurrency, the role table,
// illegal steps, and bad input — each as a person at the window would meet it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeInput } from '../../services/cases/index.js';
import type { DeskError } from '../../services/errors.js';
import { type TestDesk, startDesk } from '../support/desk.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('case_rules');
});
afterAll(() => desk?.close());

const input = (over: Partial<IntakeInput> = {}): IntakeInput => ({
  site: 'city',
  channel: 'wechat',
  reporter: { name: '李四', phone: '13900001111', identity: { channel: 'wechat', id: 'wx-lisi' } },
  matter: '社保参保登记',
  account: '网上说可以办，窗口说不行，来回跑了三趟。',
  ...over,
});
async function register(over: Partial<IntakeInput> = {}) {
  const r = await desk.app.cases.register(input(over), desk.citizen('wx-lisi', 'wechat'));
  if (!r.registered) throw new Error('not registered');
  return r;
}

describe('numbering', () => {
  it('gives 100 concurrent intakes 100 distinct consecutive numbers', async () => {
    const day = '2026-11-26T10:00:00+08:00';
    desk.clock.set(day);
    const results = await Promise.all(Array.from({ length: 100 }, () => register()));
    const seqs = results.map((r) => Number(r.number.slice(8))).sort((a, b) => a - b);
    expect(new Set(results.map((r) => r.number)).size).toBe(100);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(results[0].number.slice(0, 8)).toBe('20261126');
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });

  it('puts the site prefix in front at a site that has one', async () => {
    const r = await desk.app.cases.register({ ...input(), site: 'yushan' }, desk.citizen('wx-lisi', 'wechat'));
    expect(r.registered && r.number).toMatch(/^YS20261124\d{3}$/);
  });
});

describe('duty officer', () => {
  it('tells the roster’s officer of the day, and the site’s fallback when the roster has nobody', async () => {
    // Saturday 2026-10-10 is a make-up working day; 虞山 has no weekend roster entry.
    desk.clock.set('2026-10-10T10:00:00+08:00');
    const r = await desk.app.cases.register({ ...input(), site: 'yushan' }, desk.citizen('wx-lisi', 'wechat'));
    if (!r.registered) throw new Error('not registered');
    expect(r.deferred).toBe(false);
    expect(r.case.outbox.filter((m) => m.reason === 'case.duty_officer').map((m) => m.to.id)).toEqual(['heping']);
    // A Wednesday at the city center: the weekly roster says 李强.
    desk.clock.set('2026-11-25T10:00:00+08:00');
    const c = await desk.app.cases.register(input(), desk.citizen('wx-lisi', 'wechat'));
    if (!c.registered) throw new Error('not registered');
    expect(c.case.outbox.filter((m) => m.reason === 'case.duty_officer').map((m) => m.to.id)).toEqual(['liqiang']);
    desk.clock.set('2026-11-24T10:00:00+08:00');
  });

  it('warns the staff room when there is neither a roster entry nor a fallback', async () => {
    await desk.app.models.Site.updateOne({ _id: 'yushan' }, { $unset: { fallbackDutyOfficer: 1 } });
    try {
      desk.clock.set('2026-10-10T10:00:00+08:00');
      const r = await desk.app.cases.register({ ...input(), site: 'yushan' }, desk.citizen('wx-lisi', 'wechat'));
      if (!r.registered) throw new Error('not registered');
      const warn = r.case.outbox.find((m) => m.reason === 'case.no_duty_officer');
      expect(warn?.to).toEqual({ channel: 'console', id: 'staff-room-yushan' });
    } finally {
      await desk.app.models.Site.updateOne({ _id: 'yushan' }, { $set: { fallbackDutyOfficer: 'heping' } });
      desk.clock.set('2026-11-24T10:00:00+08:00');
    }
  });
});

describe('idempotency and concurrency', () => {
  it('a retried submission with the same key registers one case', async () => {
    const [a, b] = await Promise.all([register({ idempotencyKey: 'dlg-1' }), register({ idempotencyKey: 'dlg-1' })]);
    expect(a.number).toBe(b.number);
    expect(await desk.app.models.Case.countDocuments({ intakeKey: 'dlg-1' })).toBe(1);
  });

  it('a retried command with the same key does nothing twice', async () => {
    const { number } = await register();
    const duty = await desk.staff('wangfang');
    await desk.app.cases.classify(number, 'GENERAL', duty, { idempotencyKey: 'k1' });
    const again = await desk.app.cases.classify(number, 'GENERAL', duty, { idempotencyKey: 'k1' });
    expect(again.duplicate).toBe(true);
    const doc = await desk.caseDoc(number);
    expect(doc.timeline.filter((t) => t.type === 'classified')).toHaveLength(1);
    expect(doc.version).toBe(2);
  });

  it('two staff acting at once: one wins, the other gets a readable conflict, nothing is lost', async () => {
    const { number } = await register();
    const duty = await desk.staff('wangfang');
    const sup = await desk.staff('chenjing');
    const results = await Promise.allSettled([
      desk.app.cases.classify(number, 'GENERAL', duty),
      desk.app.cases.classify(number, 'COMPLEX', sup),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect((failed[0].reason as DeskError).code).toMatch(/conflict|illegal_transition/);
    expect(String(failed[0].reason.message)).toMatch(/已被他人更新|不能执行/);
    const doc = await desk.caseDoc(number);
    expect(doc.timeline.filter((t) => t.type === 'classified')).toHaveLength(1);
  });

  it('a stale version is refused with the version numbers', async () => {
    const { number } = await register();
    const duty = await desk.staff('wangfang');
    await expect(desk.app.cases.classify(number, 'GENERAL', duty, { expectedVersion: 7 })).rejects.toThrow(/第 7 版，当前为第 1 版/);
  });
});

describe('role table and lifecycle refusals', () => {
  it('refuses an action to a role that may not do it, naming who may', async () => {
    const { number } = await register();
    await expect(desk.app.cases.classify(number, 'GENERAL', await desk.staff('zhangmin'))).rejects.toThrow(/无权执行“分类”.*当日大厅巡导员/);
    await expect(desk.app.cases.classify(number, 'GENERAL', await desk.staff('wuhao'))).rejects.toThrow(/无权/);
  });

  it('refuses archive before the follow-up, naming the state and what is allowed', async () => {
    const { number } = await register();
    const duty = await desk.staff('wangfang');
    await desk.app.cases.classify(number, 'GENERAL', duty);
    await expect(desk.app.cases.archive(number, await desk.staff('zhangmin'))).rejects.toThrow(/当前状态为“处办中”，不能执行“备案”。可以执行：/);
  });

  it('a liaison cannot answer a case that was not transferred to their unit', async () => {
    const { number } = await register();
    await desk.app.cases.classify(number, 'NOT_STATIONED', await desk.staff('wangfang'));
    await desk.app.cases.transfer(number, { unit: 'zjj' }, await desk.staff('liuyang'));
    await expect(
      desk.app.cases.unitReply(number, { text: '这不是我们单位的事项，请转别处办理', eligible: true }, await desk.staff('wuhao')),
    ).rejects.toThrow(/没有转办给您所在的单位/);
  });

  it('another citizen cannot withdraw or rate someone else’s case', async () => {
    const { number } = await register();
    await expect(desk.app.cases.withdraw(number, undefined, desk.citizen('someone-else', 'wechat'))).rejects.toThrow(/无权/);
    const mine = await desk.app.cases.withdraw(number, '问题已自行解决', desk.citizen('wx-lisi', 'wechat'));
    expect(mine.case.status).toBe('withdrawn');
    expect(mine.case.nextDeadlineAt).toBeNull();
  });

  it('an agitated citizen goes to supervision first; classification waits until calmed', async () => {
    const { number, case: c } = await register({ account: '你们这是什么态度！我要投诉你们，太气人了，气死我了！' });
    expect(c.agitated).toBe(true);
    expect(c.outbox.some((m) => m.reason === 'case.agitated' && m.to.id === 'chenjing')).toBe(true);
    const duty = await desk.staff('wangfang');
    await expect(desk.app.cases.classify(number, 'GENERAL', duty)).rejects.toThrow(/效能督查科/);
    await desk.app.cases.calmed(number, '已安抚，群众同意等待处理', await desk.staff('chenjing'));
    expect((await desk.app.cases.classify(number, 'GENERAL', duty)).case.status).toBe('handling');
  });
});

describe('bad input', () => {
  it.each([
    [{ reporter: { name: '李四', phone: '12345' } }, /联系电话格式不对/],
    [{ reporter: { name: '', phone: '13900001111' } }, /姓名/],
    [{ reporter: { name: '13900001111', phone: '13900001111' } }, /不能是电话号码/],
    [{ account: '' }, /问题描述/],
    [{ account: '太短' }, /至少 5 个字/],
    [{ account: '很'.repeat(5001) }, /最多 5000 个字/],
    [{ involvedUnit: 'no-such-unit' }, /找不到单位/],
    [{ site: 'mars' }, /找不到站点/],
  ])('refuses %j in Chinese', async (over, message) => {
    await expect(desk.app.cases.register(input(over as Partial<IntakeInput>), desk.citizen('wx-lisi', 'wechat'))).rejects.toThrow(message);
  });

  it('accepts landlines with area code and normalises mobiles with +86', async () => {
    const a = await register({ reporter: { name: '李四', phone: '0512 5234 5678' } });
    expect(a.case.reporter.phone).toBe('0512-52345678');
    const b = await register({ reporter: { name: '李四', phone: '+86 139 0000 1111' } });
    expect(b.case.reporter.phone).toBe('13900001111');
  });

  it('stores $-operators, HTML and emoji as plain text', async () => {
    const account = '{"$where":"sleep(1000)"} <script>alert(1)</script> 😡👍 $set 办不成';
    const { number } = await register({ matter: '<b>营业执照</b>', account });
    const doc = await desk.caseDoc(number);
    expect(doc.account).toBe(account);
    expect(doc.matter).toBe('<b>营业执照</b>');
    await desk.app.cases.record(number, { kind: 'note', text: '{"$gt": ""}' }, await desk.staff('zhangmin'));
    expect((await desk.caseDoc(number)).handling.at(-1)?.text).toBe('{"$gt": ""}');
  });

  it('refuses a malformed case number and an operator object in its place', async () => {
    const duty = await desk.staff('wangfang');
    await expect(desk.app.cases.classify('123', 'GENERAL', duty)).rejects.toThrow(/不是有效的事项编号/);
    await expect(desk.app.cases.classify({ $ne: null } as unknown as string, 'GENERAL', duty)).rejects.toThrow(/不是有效的事项编号/);
    await expect(desk.app.cases.classify('20261124001', 'BOGUS' as never, duty)).rejects.toThrow(/类别无效/);
  });

  it('refuses a one-time notice without the list of materials and a refusal without its basis', async () => {
    const { number } = await register();
    await desk.app.cases.classify(number, 'GENERAL', await desk.staff('wangfang'));
    const clerk = await desk.staff('zhangmin');
    await expect(desk.app.cases.record(number, { kind: 'one_time_notice', text: '材料不全' }, clerk)).rejects.toThrow(/需补齐的材料/);
    await expect(desk.app.cases.record(number, { kind: 'refusal_notice', text: '不予受理' }, clerk)).rejects.toThrow(/依据/);
  });
});
