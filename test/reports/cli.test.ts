// The forms from a terminal: `npm start` (the console writes a file it is sent under
// DATA_DIR/files and prints the path), then `npm run report` on the same durable store writes
// the forms and reports to a directory. With MONGODB_URI set both use that server, in a database
// of their own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../support/mongo.js';

const root = new URL('../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'desk-report-cli-'));
const external = process.env.MONGODB_URI;
const dbName = `report_cli_${randomBytes(4).toString('hex')}`;
const env = { ...process.env, DATA_DIR: dataDir, CLOCK_START: '2026-11-24T10:00:00+08:00', CHANNELS: '', MONGODB_URI: external ?? '', MONGODB_DB: dbName, REDIS_URL: '', LOG_LEVEL: 'error' };

function run(cmd: string, args: string[], input?: string) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(input ?? '');
  });
}
const report = (...args: string[]) => run('npm', ['run', '--silent', 'report', '--', ...args]);

const SESSION = [
  '#登记 王小明 13812345678 事项：义务教育入学 情况：孩子入学资格审核，教育局不在中心办公，找不到人。',
  '/as wangfang',
  '#20261124001 分类 未进驻',
  '#20261124001 被反映单位 无',
  '/as zhangmin',
  '#20261124001 草拟 jyj',
  '/as liuyang',
  '#20261124001 转办 jyj',
  '#20261124001 转办单',
  '/as zhangmin',
  '#20261124001 登记表',
];

let console_: { code: number | null; out: string; err: string };
beforeAll(async () => {
  console_ = await run(join(root, 'node_modules/.bin/tsx'), ['bin/start.ts'], `${SESSION.join('\n')}\n`);
}, 120_000);
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (external) await dropDatabase(external, dbName);
});

describe('forms on the console', () => {
  it('writes each file sent to the terminal under DATA_DIR/files and prints where', () => {
    expect(console_.code, console_.err).toBe(0);
    const saved = [...console_.out.matchAll(/已保存到 (\S+)/g)].map((m) => m[1]);
    expect(saved).toHaveLength(2);
    for (const p of saved) {
      expect(p.startsWith(join(dataDir, 'files'))).toBe(true);
      expect(readFileSync(p).subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect(saved[0]).toContain('转办单-20261124001-1');
    expect(saved[1]).toContain('登记表-20261124001');
    expect(console_.out).toContain('注：任何人不得将举报人的姓名及其联系方式泄漏给被举报单位，违者后果自负。');
  });
});

describe('npm run report', () => {
  it('--help lists every report and option', async () => {
    const { code, out } = await report('--help');
    expect(code).toBe(0);
    for (const w of ['registration', 'slip', 'ledger', 'performance', '--period', '--from', '--to', '--site', '--as', '--full', '--out', '--help']) expect(out).toContain(w);
  });

  it('writes the forms and the period reports of the store to a directory', async () => {
    const out = join(dataDir, 'out');
    const slip = await report('slip', '20261124001', '--out', out);
    expect(slip.code, slip.err).toBe(0);
    const reg = await report('登记表', '20261124001', '--out', out, '--as', 'zhangmin', '--full');
    expect(reg.code, reg.err).toBe(0);
    const ledger = await report('ledger', '--from', '2026-11-01', '--to', '2026-11-30', '--out', out);
    expect(ledger.code, ledger.err).toBe(0);
    const perf = await report('考核', '--period', '2026-11', '--out', out);
    expect(perf.code, perf.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      [
        '转办单-20261124001-1.pdf',
        '转办单-20261124001-1.txt',
        '登记表-20261124001.pdf',
        '问题清单表-2026-11-01_2026-11-30.txt',
        '问题清单表-2026-11-01_2026-11-30.xlsx',
        '问题清单表-2026-11-01_2026-11-30.csv',
        '考核评价-2026-11-01_2026-11-30.txt',
        '考核评价-2026-11-01_2026-11-30.xlsx',
        '考核-按时率-2026-11-01_2026-11-30.png',
        '考核-每周受理-2026-11-01_2026-11-30.png',
      ].sort(),
    );
    // Every path is printed, one a line, for scripts.
    expect(perf.out.trim().split('\n').every((l) => existsSync(l))).toBe(true);
    expect(readFileSync(join(out, '转办单-20261124001-1.txt'), 'utf8')).toContain('承办单位：市教育局');
    expect(readFileSync(join(out, '考核评价-2026-11-01_2026-11-30.txt'), 'utf8')).toContain('市教育局：转办单 1');
  }, 120_000);

  it('says what is wrong with a bad request, and exits non-zero', async () => {
    const noKind = await report('summary');
    expect(noKind.code).toBe(2);
    expect(noKind.err).toContain('unknown report "summary"');
    const badDate = await report('ledger', '--from', '2026-11-30', '--to', '2026-11-01');
    expect(badDate.code).toBe(2);
    expect(badDate.err).toContain('晚于');
    const liaison = await report('registration', '20261124001', '--as', 'wuhao');
    expect(liaison.code).toBe(1);
    expect(liaison.err).toContain('只能获取本单位的转办单');
  }, 120_000);
});
