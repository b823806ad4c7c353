// A form whose text does not fit one page goes on over the next ones under its label marked
// （续）: nothing is cut off, and no page comes out blank.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registrationForm, registrationPdf } from '../../services/reports/index.js';
import { caseDoc } from '../support/case-doc.js';

const dir = mkdtempSync(join(tmpdir(), 'desk-pdf-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a long 登记表', () => {
  it('continues over pages with （续）, keeps every sentence, and has ink on every page', async () => {
    const sentences = Array.from({ length: 120 }, (_, i) => `第${i + 1}次到窗口询问营业执照变更，被告知还缺一份材料。`);
    const doc = caseDoc({ account: sentences.join('') });
    const pdf = await registrationPdf(registrationForm(doc, { kind: 'public' }, (c) => c));
    writeFileSync(join(dir, 'long.pdf'), pdf);
    const text = execFileSync('pdftotext', [join(dir, 'long.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(dir, 'long.pdf')], { encoding: 'utf8' }))?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toContain('反映情况记录（续）');
    // The continuation label is printed beside its text: take it out to read the value whole.
    const value = text.replace('反映情况记录（续）', '');
    for (const s of sentences) expect(value).toContain(s);
    expect(text).toContain('回复、处理情况');
    execFileSync('pdftoppm', ['-gray', '-r', '30', join(dir, 'long.pdf'), join(dir, 'p')]);
    const images = readdirSync(dir).filter((f) => f.startsWith('p') && f.endsWith('.pgm'));
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const f of images) {
      const buf = readFileSync(join(dir, f));
      const [, w, h] = buf.subarray(0, 40).toString('latin1').split(/\s+/).map(Number);
      const pixels = buf.subarray(buf.length - w * h);
      const dark = pixels.filter((v) => v < 128).length / pixels.length;
      expect(dark, f).toBeGreaterThan(0.005);
    }
  });
});
