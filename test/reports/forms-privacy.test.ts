// The forms as files, through the commands staff type, and the privacy rule on every copy a unit
// can get: the unit complained about never finds the reporter's name or phone in a slip (text or
// PDF), a ledger, its figures, a re-sent slip or a staff-room posting. PDFs are checked the way a
// reader meets them: text extracted with pdftotext, each page rasterised with pdftoppm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sayable } from '../../models/sayable.js';
import { type TestDesk, startDesk } from '../support/desk.js';

const NAME = '王小明';
const PHONE = '13812345678';
let desk: TestDesk;
let dir: string;
/** 涉及 jyj and transferred to it: jyj is the unit complained about. */
let subject: string;
/** Transferred to zjj, which is not complained about: it must contact the citizen. */
let shared: string;

async function say(staffId: string, line: string, where?: 'room'): Promise<Sayable[]> {
  return desk.app.staffCommand(await desk.app.directory.staff(staffId), line, undefined, where);
}
const texts = (s: Sayable[]) => s.flatMap((x) => (x.kind === 'text' ? [x.text] : x.kind === 'choices' ? [x.text] : []));
const files = (s: Sayable[]) => s.flatMap((x) => (x.kind === 'file' ? [x] : []));

function pdfText(base64: string): string {
  const f = join(dir, `f${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
}

/** Share of dark pixels on each page, rasterised in grey at 40 dpi. */
function inkPerPage(base64: string): number[] {
  const f = join(dir, `r${Math.random().toString(36).slice(2)}`);
  writeFileSync(`${f}.pdf`, Buffer.from(base64, 'base64'));
  execFileSync('pdftoppm', ['-gray', '-r', '40', `${f}.pdf`, f]);
  const pages = readdirSync(dir).filter((p) => p.startsWith(f.slice(dir.length + 1)) && p.endsWith('.pgm')).sort();
  return pages.map((p) => {
    const buf = readFileSync(join(dir, p));
    // P5 header: magic, width, height, maxval, each followed by whitespace
    const header = buf.subarray(0, 50).toString('latin1').split(/\s+/);
    const [w, h] = [Number(header[1]), Number(header[2])];
    const pixels = buf.subarray(buf.length - w * h);
    let dark = 0;
    for (const v of pixels) if (v < 128) dark++;
    return dark / pixels.length;
  });
}

async function register(account: string): Promise<string> {
  const out = texts(await say('zhangmin', `登记 ${NAME} ${PHONE} 事项：义务教育入学 情况：${account}`)).join('\n');
  const m = /事项编号 (\d{11})/.exec(out);
  if (!m) throw new Error(out);
  return m[1];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-forms-'));
  desk = await startDesk('reports-forms');
  // The reporter also writes their name and number into the account: the text must lose them too.
  subject = await register(`我是${NAME}，电话${PHONE}，教育局窗口拒绝受理孩子的入学资格审核，来回跑了三趟。`);
  await say('wangfang', `#${subject} 分类 未进驻`);
  await say('wangfang', `#${subject} 被反映单位 jyj`);
  await say('zhangmin', `#${subject} 草拟 jyj`);
  await say('liuyang', `#${subject} 转办 jyj`);
  await say('wuhao', `#${subject} 签收`);
  await say('wuhao', `#${subject} 答复 已核实，资格审核通过，本周五前发入学通知书`);
  shared = await register('住房保障资格审核一直没有结果，住建局不在中心办公。');
  await say('wangfang', `#${shared} 分类 未进驻`);
  await say('wangfang', `#${shared} 被反映单位 无`);
  await say('zhangmin', `#${shared} 草拟 zjj`);
  await say('liuyang', `#${shared} 转办 zjj`);
}, 90_000);
afterAll(async () => {
  await desk?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('登记表', () => {
  it('is a one-page PDF with the fields of attachment 1, in Chinese that pdftotext reads back, and ink on the page', async () => {
    const [f] = files(await say('zhangmin', `#${subject} 登记表`));
    expect(f.name).toBe(`登记表-${subject}.pdf`);
    expect(f.mime).toBe('application/pdf');
    const text = pdfText(f.base64);
    // Labels wrap inside their narrow cells: compare without the layout's spaces and breaks.
    const flat = text.replace(/\s+/g, '');
    for (const label of ['“办不成事”事项登记表', `编号：${subject}`, '反映人姓名', '联系电话', '受理人员', '受理时间', '反映情况记录', '现场处理情况', '责任窗口（单位）', '回复、处理情况', '经办人员签字', '日期'])
      expect(flat).toContain(label);
    expect(text).toContain('张敏');
    expect(text).toContain('市教育局');
    expect(text).toContain('资格审核通过');
    const ink = inkPerPage(f.base64);
    expect(ink).toHaveLength(1);
    expect(ink[0]).toBeGreaterThan(0.01);
  });

  it('shows staff a masked identity unless 完整 is asked for by a role that may see it, in private', async () => {
    const masked = pdfText(files(await say('zhangmin', `#${subject} 登记表`))[0].base64);
    expect(masked).not.toContain(PHONE);
    expect(masked).not.toContain(NAME);
    const full = pdfText(files(await say('zhangmin', `#${subject} 登记表 完整`))[0].base64);
    expect(full).toContain(NAME);
    expect(full).toContain(PHONE);
    expect(await desk.app.models.Audit.countDocuments({ caseNumber: subject, action: 'VIEW_FULL_IDENTITY', actor: { kind: 'staff', id: 'zhangmin' } })).toBe(1);
    expect(texts(await say('zhangmin', `#${subject} 登记表 完整`, 'room')).join()).toContain('不能发到工作群');
    expect(texts(await say('liuyang', `#${subject} 登记表 完整`)).join()).toContain('无权查看反映人完整身份信息');
  });

  it('is refused to a unit liaison', async () => {
    const out = await say('wuhao', `#${subject} 登记表`);
    expect(files(out)).toHaveLength(0);
    expect(texts(out).join()).toContain('只能获取本单位的转办单');
  });
});

describe('转办单', () => {
  it('is text and a PDF with every field of attachment 3, the reply with who handled it, and the printed privacy note', async () => {
    const out = await say('liuyang', `#${subject} 转办单`);
    expect(out.map((s) => s.kind)).toEqual(['text', 'file']);
    const [f] = files(out);
    expect(f.name).toBe(`转办单-${subject}-1.pdf`);
    const text = pdfText(f.base64);
    const flat = text.replace(/\s+/g, '');
    for (const label of ['“办不成事”反映事项转办单', `编号：${subject}-1`, '承办单位', '市教育局', '诉求类型', '未进驻情形', '受理时间', '转办时间', '诉求人', '联系方式', '应反馈时间', '2026-11-2717:00', '诉求内容', '转办人：张敏', '诉求处理及回复情况', '表述详实、不符合办理条件的写明依据', '资格审核通过', '处办人：吴昊', '备注'])
      expect(flat).toContain(label);
    expect(text.replace(/\s+/g, '')).toContain('注：任何人不得将举报人的姓名及其联系方式泄漏给被举报单位，违者后果自负。');
    expect(inkPerPage(f.base64).every((x) => x > 0.01)).toBe(true);
    expect(texts(out)[0]).toContain('注：任何人不得将举报人的姓名及其联系方式泄漏给被举报单位，违者后果自负。');
  });

  it('gives the unit complained about its own copy with no name or phone, in the text, the PDF and the account', async () => {
    const out = await say('wuhao', `#${subject} 转办单`);
    const all = [...texts(out), ...files(out).map((f) => pdfText(f.base64))].join('\n');
    expect(all).toContain('转办单');
    expect(all).not.toContain(NAME);
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain('5678');
    expect(all).toContain('（按规定不向被反映单位提供）');
  });

  it('gives a unit that must contact the citizen their name and phone (the rule is not a blanket hide)', async () => {
    const out = await say('jiangtao', `#${shared} 转办单`);
    const pdf = pdfText(files(out)[0].base64);
    expect(pdf).toContain(NAME);
    expect(pdf).toContain(PHONE);
  });

  it('asked for in a staff room, even by that unit’s liaison, carries no name or phone', async () => {
    const out = await say('jiangtao', `#${shared} 转办单`, 'room');
    const all = [...texts(out), ...files(out).map((f) => pdfText(f.base64))].join('\n');
    expect(all).toContain('转办单');
    expect(all).not.toContain(NAME);
    expect(all).not.toContain(PHONE);
  });

  it('is refused to the liaison of a unit the case was not transferred to', async () => {
    const out = await say('jiangtao', `#${subject} 转办单`);
    expect(files(out)).toHaveLength(0);
    expect(texts(out).join()).toContain('没有转办给您所在单位');
  });

  it('can be sent to the unit again, as the unit’s copy, by the section that transferred it', async () => {
    expect(texts(await say('zhangmin', `#${subject} 转办单 重发`)).join()).toContain('可以重发转办单');
    expect(texts(await say('liuyang', `#${subject} 转办单 重发`)).join()).toContain(`已向 市教育局 重新发送转办单 ${subject}-1`);
    const sent = await desk.app.models.Message.find({ caseNumber: subject, reason: /transfer_slip_resent/ }).lean();
    expect(sent.map((m) => m.audience)).toEqual(['unit', 'unit']);
    const body = sent.map((m) => (m.sayable.kind === 'file' ? pdfText(m.sayable.base64) : m.sayable.kind === 'text' ? m.sayable.text : '')).join('\n');
    expect(body).toContain('转办单');
    expect(body).not.toContain(NAME);
    expect(body).not.toContain(PHONE);
  });
});

describe('the ledger and the figures a liaison gets', () => {
  async function cells(s: Sayable[]): Promise<string> {
    const out: string[] = [];
    for (const f of files(s)) {
      const bytes = Buffer.from(f.base64, 'base64');
      if (f.name.endsWith('.csv')) out.push(bytes.toString('utf8'));
      if (f.name.endsWith('.xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
        for (const ws of wb.worksheets) ws.eachRow((r) => out.push(JSON.stringify(r.values)));
      }
    }
    return [...texts(s), ...out].join('\n');
  }

  it('清单 for the unit complained about lists only its case, without name or phone', async () => {
    const s = await say('wuhao', '清单 本周');
    const all = await cells(s);
    expect(all).toContain(subject);
    expect(all).not.toContain(shared);
    expect(all).not.toContain(NAME);
    expect(all).not.toContain(PHONE);
  });

  it('考核 for a liaison has its own unit’s row only, and no site figures', async () => {
    const s = await say('wuhao', '考核 本月');
    const text = texts(s).join('\n');
    expect(text).toContain('市教育局：转办单 1');
    expect(text).not.toContain('市住房和城乡建设局');
    expect(text).not.toContain('受理 ');
    expect(s.filter((x) => x.kind === 'file').map((f) => (f.kind === 'file' ? f.mime : ''))).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/png', 'image/png']);
  });

  it('staff get every unit and the site in 考核, with charts as PNG', async () => {
    const s = await say('chenjing', '考核 2026-11');
    const text = texts(s).join('\n');
    expect(text).toContain('市教育局：转办单 1');
    expect(text).toContain('市住房和城乡建设局：转办单 1');
    expect(text).toContain('常熟市政务服务中心：受理 2 件');
    for (const f of files(s).filter((x) => x.mime === 'image/png')) expect(Buffer.from(f.base64, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('a staff room gets no identity in anything: the 清单 posted there is composed for anyone', async () => {
    const all = await cells(await say('zhangmin', '清单 本周', 'room'));
    expect(all).toContain(subject);
    expect(all).toContain(shared);
    expect(all).not.toContain(NAME);
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain('5678');
  });

  it('the scheduled weekly ledger and monthly report go to each site’s staff room without identity, once', async () => {
    const { createReportScheduler } = await import('../../services/reports/index.js');
    const { app, clock } = desk;
    const scheduler = createReportScheduler({ ...app, reports: app.reports, logger: app.logger, schedule: ['weekly', 'monthly'], postAt: '09:00' });
    clock.set(new Date('2026-12-01T09:30:00+08:00'));
    const posted = await scheduler.tick();
    expect(posted).toEqual(expect.arrayContaining(['report:weekly:city:2026-11-23', 'report:monthly:city:2026-11-01']));
    expect(await scheduler.tick()).toEqual([]);
    const again = createReportScheduler({ ...app, reports: app.reports, logger: app.logger, schedule: ['weekly', 'monthly'], postAt: '09:00' });
    expect(await again.tick()).toEqual([]);
    const msgs = await app.models.Message.find({ reason: /^report\.scheduled/, site: 'city' }).lean();
    expect(msgs.every((m) => m.audience === 'staff' && m.to.id === 'staff-room')).toBe(true);
    const body = msgs.map((m) => (m.sayable.kind === 'text' ? m.sayable.text : m.sayable.kind === 'file' ? m.sayable.name : '')).join('\n');
    expect(body).toContain('【定期报表】常熟市政务服务中心 问题清单表（2026年11月23日至11月29日）');
    expect(body).toContain('考核评价-2026-11-01_2026-11-30.xlsx');
    const ledger = await cells(msgs.map((m) => m.sayable));
    expect(ledger).not.toContain(NAME);
    expect(ledger).not.toContain(PHONE);
  });
});
