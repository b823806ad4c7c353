// The per-case forms as PDF, laid out like the paper attachments: a centred title, the number
// above the table, and one bordered table of label and value cells. A value too long for the
// page continues on the next one under its label marked （续）.
import PDFDocument from 'pdfkit';
import { registrationZh } from '../locales/zh/reports.js';
import { type ReportFont, fontBytes, reportFont } from './fonts.js';
import type { RegistrationForm, SlipForm } from './forms.js';

interface Cell {
  text: string;
  /** Share of the table width. */
  w: number;
  label?: boolean;
}
interface Row {
  cells: Cell[];
  minHeight?: number;
  /** A line at the bottom right of the last cell (转办人：… 年 月 日). */
  footer?: string;
}

const PAGE = { size: 'A4' as const, margin: 56 };
const PAD = 6;
const SIZE = 11;

type Doc = InstanceType<typeof PDFDocument>;

function newDoc(font: ReportFont, title: string): Doc {
  const doc = new PDFDocument({ size: PAGE.size, margin: PAGE.margin, info: { Title: title, Creator: 'banbucheng-desk' }, bufferPages: false });
  doc.registerFont('cjk', fontBytes(font.path), font.face as string);
  doc.registerFont('cjk-bold', fontBytes(font.bold.path), font.bold.face as string);
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

function heading(doc: Doc, title: string, number: string) {
  doc.font('cjk-bold').fontSize(18).text(title, { align: 'center' });
  doc.moveDown(0.6);
  doc.font('cjk').fontSize(SIZE).text(`${registrationZh.number}：${number}`, { align: 'left' });
  doc.moveDown(0.3);
}

/** The longest prefix of `text` whose height fits `space` in a cell of `width`. */
function fitting(doc: Doc, text: string, width: number, space: number): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.heightOfString(text.slice(0, mid), { width }) <= space) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function table(doc: Doc, rows: Row[]) {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  let y = doc.y;
  doc.font('cjk').fontSize(SIZE).lineWidth(0.8);
  const footerH = doc.heightOfString('转') + PAD;
  const queue = [...rows];
  while (queue.length) {
    const row = queue.shift()!;
    const widths = row.cells.map((c) => c.w * width);
    const heights = row.cells.map((c, i) => doc.heightOfString(c.text || ' ', { width: widths[i] - 2 * PAD }) + 2 * PAD);
    let h = Math.max(row.minHeight ?? 0, ...heights) + (row.footer ? footerH : 0);
    if (y + h > bottom()) {
      const pageSpace = bottom() - doc.page.margins.top;
      if (h <= pageSpace || bottom() - y < 4 * footerH) {
        doc.addPage();
        y = doc.page.margins.top;
        if (h > pageSpace) h = pageSpace;
      }
      if (y + h > bottom()) {
        // Split the tallest value: what fits stays here, the rest goes to the next page.
        const i = heights.indexOf(Math.max(...heights));
        const space = bottom() - y - 2 * PAD - (row.footer ? footerH : 0);
        const fit = Math.max(1, fitting(doc, row.cells[i].text, widths[i] - 2 * PAD, space));
        // Break after a line or a sentence when one ends close enough, not inside a word or number.
        const soft = Math.max(...['\n', '。', '；', '，'].map((c) => row.cells[i].text.lastIndexOf(c, fit - 1) + 1));
        const n = soft > fit - 60 && soft > 0 ? soft : fit;
        const here = { ...row, minHeight: bottom() - y, footer: undefined, cells: row.cells.map((c, j) => (j === i ? { ...c, text: c.text.slice(0, n) } : c)) };
        const rest = {
          ...row,
          minHeight: undefined,
          cells: row.cells.map((c, j) => (j === i ? { ...c, text: c.text.slice(n) } : c.label ? { ...c, text: `${c.text}（续）` } : { ...c, text: '' })),
        };
        queue.unshift(here, rest);
        continue;
      }
    }
    let x = left;
    row.cells.forEach((c, i) => {
      doc.rect(x, y, widths[i], h).stroke();
      doc.font(c.label ? 'cjk-bold' : 'cjk').fontSize(SIZE);
      const th = doc.heightOfString(c.text || ' ', { width: widths[i] - 2 * PAD });
      const ty = c.label ? y + Math.max(PAD, (h - th) / 2) : y + PAD;
      doc.text(c.text, x + PAD, ty, { width: widths[i] - 2 * PAD, align: c.label ? 'center' : 'left' });
      x += widths[i];
    });
    if (row.footer) {
      doc.font('cjk').fontSize(SIZE).text(row.footer, left, y + h - footerH, { width: width - PAD, align: 'right' });
    }
    y += h;
  }
  doc.x = left;
  doc.y = y + PAD;
}

const L = 0.22;
const V = 0.28;

/** Two labelled fields side by side, as the forms' short rows are. */
const pair = (a: string, av: string, b: string, bv: string): Row => ({
  cells: [
    { text: a, w: L, label: true },
    { text: av, w: V },
    { text: b, w: L, label: true },
    { text: bv, w: V },
  ],
  minHeight: 30,
});

/** One labelled field across the form, at least `minHeight` tall, with an optional signature line. */
const wide = (label: string, text: string, minHeight: number, footer?: string): Row => ({
  cells: [
    { text: label, w: L, label: true },
    { text, w: 1 - L },
  ],
  minHeight,
  footer,
});

export async function registrationPdf(f: RegistrationForm, font: ReportFont = reportFont()): Promise<Buffer> {
  const z = registrationZh;
  const doc = newDoc(font, `${z.title} ${f.number}`);
  heading(doc, z.title, f.number);
  table(doc, [
    pair(z.name, f.name, z.phone, f.phone),
    pair(z.receivedBy, f.receivedBy, z.receivedAt, f.receivedAt),
    wide(z.account, f.account, 150),
    wide(z.onSite, f.onSite, 110),
    wide(z.unit, f.unit, 30),
    wide(z.reply, f.reply, 150, `${z.signature}　　　　　　　　${z.date}${f.date || '　　年　　月　　日'}`),
  ]);
  return finish(doc);
}

export async function slipPdf(f: SlipForm, font: ReportFont = reportFont()): Promise<Buffer> {
  const l = f.labels;
  const doc = newDoc(font, `${f.title} ${f.number}`);
  heading(doc, f.title, f.number);
  const reply = [f.reply, f.basis ? `依据：${f.basis}` : ''].filter(Boolean).join('\n');
  table(doc, [
    pair(l.unit, f.unit, l.requestType, f.requestType),
    pair(l.receivedAt, f.receivedAt, l.transferredAt, f.transferredAt),
    pair(l.requester, f.requester, l.contact, f.contact),
    wide(l.replyDue, f.replyDue, 30),
    wide(l.content, f.content, 150, `${l.transferredBy}：${f.transferredBy}　　${f.transferredOn}`),
    wide(`${l.reply}\n（表述详实、不符合办理条件的写明依据）`, reply, 170, `${l.handledBy}：${f.handledBy || '　　　　'}　　${f.handledOn || '　　年　　月　　日'}`),
    wide(l.remarks, f.remarks, 50),
  ]);
  doc.font('cjk').fontSize(SIZE).text(f.privacy, { align: 'left' });
  return finish(doc);
}
