// 问题清单表 for the week 2026-11-23..29: read back from the XLSX and the CSV the chat command
// sends. Cases still open when the week began are listed again with 备注 是; open cases read 处理中.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sayable } from '../../models/sayable.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { type Spec, build } from './fixture.js';

const specs: Spec[] = [
  { id: 'A', accepted: '11-18 10:00', outcome: { at: '11-20 10:00', text: '已当场办理完毕' } }, // settled before: not listed
  { id: 'B', accepted: '11-18 11:00', replies: ['11-18 15:00'] }, // open throughout: carried, 处理中
  { id: 'C', accepted: '11-19 10:00', outcome: { at: '11-25 10:00', text: '经协调已受理并办结' } }, // carried, settled in the week
  { id: 'D', accepted: '11-24 10:00', outcome: { at: '11-24 15:00', text: '材料不全已一次性告知', basis: '《食品经营许可管理办法》第十二条' } },
  { id: 'E', accepted: '11-25 10:00', replies: ['11-25 11:00'] }, // open at the end: 处理中
  { id: 'F', accepted: '11-30 10:00' }, // next week
  { id: 'G', accepted: '11-18 09:30', status: 'withdrawn', closedAt: '11-19 10:00' }, // withdrawn before
  { id: 'H', accepted: '11-26 10:00', status: 'out_of_scope', category: null, closedAt: '11-26 11:00' }, // not a case of the list
  // settled, then a dissatisfied follow-up before the week reopened it: carried
  { id: 'I', accepted: '11-10 10:00', outcome: { at: '11-12 10:00', text: '已解释说明政策' }, followUps: [['11-20 10:00', 'dissatisfied']], status: 'rehandling' },
  { id: 'Y', accepted: '11-24 10:00', site: 'yushan' }, // another site
];

let desk: TestDesk;
let numbers: Record<string, string>;
let says: Sayable[];

const fileOf = (list: Sayable[], ext: string) => {
  const f = list.find((s) => s.kind === 'file' && s.name.endsWith(ext));
  if (f?.kind !== 'file') throw new Error(`no ${ext} file`);
  return Buffer.from(f.base64, 'base64');
};

async function sheetRows(xlsx: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= 10; c++) cells.push(String(row.getCell(c).value ?? ''));
    rows.push(cells);
  });
  return rows;
}

beforeAll(async () => {
  desk = await startDesk('reports-ledger', { now: '2026-11-27T10:00:00+08:00' });
  const docs = specs.map((s) => build(s, desk.app.calendar));
  numbers = Object.fromEntries(specs.map((s, i) => [s.id, docs[i].number]));
  await desk.app.models.Case.insertMany(docs);
  says = await desk.app.staffCommand(await desk.app.directory.staff('zhangmin'), '清单 本周');
}, 60_000);
afterAll(async () => {
  await desk?.close();
});

describe('清单 本周', () => {
  it('answers with a summary, an XLSX and a CSV named after the week', () => {
    expect(says.map((s) => (s.kind === 'file' ? s.name : s.kind))).toEqual(['text', '问题清单表-2026-11-23_2026-11-29.xlsx', '问题清单表-2026-11-23_2026-11-29.csv']);
    expect(says[0].kind === 'text' && says[0].text).toContain('共 5 件（其中上周期未办结 3 件），周期末仍在处理中 3 件');
  });

  it('has the columns of attachment 2, in order, under the title', async () => {
    const rows = await sheetRows(fileOf(says, '.xlsx'));
    expect(rows[0][0]).toBe('“办不成事”问题清单表');
    expect(rows[1][0]).toContain('本周期内未办结的诉求请在下个周期补充填写');
    expect(rows[3]).toEqual([
      '序号',
      '受理时间',
      '受理窗口',
      '诉求人',
      '联系电话',
      '反映渠道',
      '具体问题诉求',
      '处办及回复详细情况（处理中请标明）',
      '处办依据',
      '备注（若为上周期内未办结事项请备注“是”）',
    ]);
  });

  it('lists the week’s cases and every case still open when it began, carried ones remarked 是', async () => {
    const rows = (await sheetRows(fileOf(says, '.xlsx'))).slice(4);
    const byId = (id: string) => rows.find((r) => r[6].startsWith(numbers[id]));
    expect(rows.map((r) => r[6].slice(0, numbers.A.length))).toEqual([numbers.I, numbers.B, numbers.C, numbers.D, numbers.E]);
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(rows.map((r) => r[9])).toEqual(['是', '是', '是', '', '']);
    expect(byId('B')![7]).toMatch(/^处理中/);
    expect(byId('I')![7]).toMatch(/^处理中/);
    expect(byId('E')![7]).toMatch(/^处理中/);
    expect(byId('C')![7]).toContain('经协调已受理并办结');
    expect(byId('D')![7]).toContain('材料不全已一次性告知');
    expect(byId('D')![8]).toBe('《食品经营许可管理办法》第十二条');
    expect(byId('D')![1]).toBe('2026-11-24 10:00');
    expect(byId('D')![5]).toBe('Telegram');
  });

  it('gives staff a masked name and phone, never the full ones', async () => {
    const rows = (await sheetRows(fileOf(says, '.xlsx'))).slice(4);
    for (const r of rows) {
      expect(r[3]).toMatch(/^王\*+/);
      expect(r[3]).not.toContain('小明');
      expect(r[4]).not.toContain('13812345678');
      expect(r[4]).toMatch(/^138\*+5678$/);
    }
  });

  it('writes the same rows as CSV in UTF-8 with a byte-order mark, so Excel opens it in Chinese', () => {
    const csv = fileOf(says, '.csv');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('序号,受理时间,受理窗口,诉求人,联系电话,反映渠道,具体问题诉求,处办及回复详细情况（处理中请标明）,处办依据,备注（若为上周期内未办结事项请备注“是”）');
    // five rows (a multi-line cell is quoted, so count the serials that open a record)
    expect(text.match(/(?:^|\r\n)[1-5],2026-/g)).toHaveLength(5);
    expect(text).toContain(',是\r\n');
  });

  // I was settled on 11-12 and reopened only on 11-20: not open when that week began, so not carried into it.
  it('上周 is the week before: A settled in it, G withdrawn in it, B and C new in it', async () => {
    const prev = await desk.app.staffCommand(await desk.app.directory.staff('zhangmin'), '清单 上周');
    const rows = (await sheetRows(fileOf(prev, '.xlsx'))).slice(4);
    expect(rows.map((r) => [r[6].slice(0, numbers.A.length), r[9]])).toEqual([
      [numbers.G, ''],
      [numbers.A, ''],
      [numbers.B, ''],
      [numbers.C, ''],
    ]);
    expect(rows[0][7]).toMatch(/^已撤回/);
  });

  it('takes any date range', async () => {
    const r = await desk.app.staffCommand(await desk.app.directory.staff('zhangmin'), '清单 2026-11-24 2026-11-24');
    const rows = (await sheetRows(fileOf(r, '.xlsx'))).slice(4);
    expect(rows.map((x) => [x[6].slice(0, numbers.A.length), x[9]])).toEqual([
      [numbers.I, '是'],
      [numbers.B, '是'],
      [numbers.C, '是'],
      [numbers.D, ''],
    ]);
  });
});
