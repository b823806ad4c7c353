// The sample directory is the example every deployment starts from: a believable 常熟市政务服务中心
// whose links (own sites, villages under towns, the clerk's seat) are checked before start-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryError, loadDirectoryFile, parseDirectory } from '../../services/directory/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';

const data = loadDirectoryFile('config/directory.json');
const TOWNS = ['虞山街道', '常福街道', '琴川街道', '莫城街道', '碧溪街道', '东南街道', '梅李镇', '海虞镇', '古里镇', '沙家浜镇', '支塘镇', '董浜镇', '尚湖镇', '辛庄镇'];

describe('the sample directory', () => {
  it('is the city center with the 办不成事 window at 166, its clerk seated at the 市场准入 window', () => {
    const city = data.sites.find((s) => s.level === 'city');
    expect(city).toMatchObject({ name: '常熟市政务服务中心', windowLocation: '二楼市场准入166号综合窗口' });
    const clerk = data.staff.find((s) => s.roles.includes('window_clerk') && s.site === city?.code);
    const seat = data.units.find((u) => u.code === clerk?.seatedAt);
    expect(seat).toMatchObject({ kind: 'stationed_window', name: '市场准入综合窗口' });
  });

  it('has a sub-center with its own window, roster and staff room', () => {
    const sub = data.sites.find((s) => s.level === 'sub_center');
    expect(sub?.windowLocation).toBeTruthy();
    expect(sub?.staffRooms.length).toBeGreaterThan(0);
    expect(data.units.some((u) => u.site === sub?.code && u.kind === 'stationed_window')).toBe(true);
    expect(data.roster.filter((r) => r.site === sub?.code).length).toBeGreaterThanOrEqual(5);
  });

  it('lists every town and street once as its service center, linked to its own site where it has one', () => {
    const towns = data.units.filter((u) => u.kind === 'town_street' && !u.parent);
    for (const t of TOWNS) expect(towns.filter((u) => u.name === `${t}为民服务中心`), t).toHaveLength(1);
    expect(towns).toHaveLength(TOWNS.length);
    expect(towns.find((u) => u.name.startsWith('虞山街道'))?.ownSite).toBe('yushan');
    for (const u of towns) expect(u.liaisons.length, u.code).toBeGreaterThan(0);
  });

  it('has villages and communities under their town, for matters that belong there', () => {
    const villages = data.units.filter((u) => u.parent);
    expect(villages.length).toBeGreaterThan(0);
    for (const v of villages) expect(data.units.find((u) => u.code === v.parent)?.kind).toBe('town_street');
  });
});

describe('links are checked at start-up', () => {
  const broken = (edit: (raw: ReturnType<typeof structuredClone<typeof data>>) => void) => {
    const raw = structuredClone(data);
    edit(raw);
    return () => parseDirectory(raw, 'directory.json');
  };
  it.each([
    ['a town linked to an unknown site', (r: typeof data) => Object.assign(r.units.find((u) => u.code === 'haiyu')!, { ownSite: 'nowhere' }), /units\.\d+\.ownSite: unknown site "nowhere"/],
    ['a village under a department', (r: typeof data) => Object.assign(r.units.find((u) => u.code === 'fushan-v')!, { parent: 'jyj' }), /parent must be a town\/street/],
    ['a clerk seated at a department', (r: typeof data) => Object.assign(r.staff.find((s) => s.id === 'zhangmin')!, { seatedAt: 'jyj' }), /staff\.\d+\.seatedAt: "jyj" is not a stationed window/],
    ['a town with nobody to receive its slips', (r: typeof data) => Object.assign(r.units.find((u) => u.code === 'guli')!, { liaisons: [] }), /unit "guli" receives transfer slips but has no liaison/],
    ['a city site as a town\'s own site', (r: typeof data) => Object.assign(r.units.find((u) => u.code === 'guli')!, { ownSite: 'city' }), /is the city center/],
  ])('refuses %s with a clear error', (_what, edit, message) => {
    const run = broken(edit);
    expect(run).toThrow(DirectoryError);
    expect(run).toThrow(message);
  });
});

describe('reply days per unit', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startDesk('directory_units');
  });
  afterAll(() => desk?.close());

  it('counts a slip to 市便民服务中心 with its own setting, and a village slip reaches its town liaison', async () => {
    await desk.app.models.Unit.updateOne({ _id: 'bmfw' }, { $set: { replyWorkingDays: 5 } });
    const reg = async (matter: string) => {
      const r = await desk.app.cases.register(
        { site: 'city', channel: 'telegram', reporter: { name: '王小明', phone: '13812345678', identity: { channel: 'telegram', id: '9001' } }, matter, account: '问了好几个窗口都说不归他们管，不知道找哪个部门。' },
        desk.citizen('9001'),
      );
      if (!r.registered) throw new Error('not registered');
      return r.number;
    };
    const n = await reg('无人机飞行备案');
    await desk.app.cases.classify(n, 'AUTHORITY_UNCLEAR', await desk.staff('wangfang'));
    const t = await desk.app.cases.transfer(n, {}, await desk.staff('chenjing'));
    // Tuesday 10:00 + 5 working days → next Tuesday 17:00 (not Friday, the default 3).
    expect(t.case.transfers[0].replyDueAt.toISOString()).toBe('2026-12-01T09:00:00.000Z');

    const v = await reg('村级证明');
    await desk.app.cases.classify(v, 'NOT_STATIONED', await desk.staff('wangfang'));
    await desk.app.cases.transfer(v, { unit: 'fushan-v' }, await desk.staff('liuyang'));
    const slip = (await desk.outbox(v)).find((m) => m.reason === 'unit.transfer_slip');
    expect(slip?.to.id).toBe('hanmei'); // 海虞镇's liaison
  });

  it('tells a citizen where the window is when they must come in person, and in help', async () => {
    const who = { channel: 'telegram' as const, id: 'place-1' };
    const texts = async (input: Parameters<typeof desk.app.conversation.handle>[1]) =>
      (await desk.app.conversation.handle(who, input)).map((m) => ('text' in m ? m.text : '')).join('\n');
    await texts({ type: 'text', text: '你好' });
    expect(await texts({ type: 'text', text: '帮助' })).toContain('常熟市政务服务中心二楼市场准入166号综合窗口');
    await texts({ type: 'text', text: '1' });
    expect(await texts({ type: 'text', text: '不同意' })).toContain('到常熟市政务服务中心二楼市场准入166号综合窗口“办不成事”窗口当面反映');
  });
});
