// A newcomer's first session: `npm start` with no configuration, typing into the terminal as a
// citizen and as each staff member in turn, walks one case through the whole loop. With
// MONGODB_URI set it runs against that database server, in a database of its own.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '../support/mongo.js';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'desk-console-'));
const external = process.env.MONGODB_URI;
const dbName = `console_${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (external) await Promise.all([dropDatabase(external, dbName), dropDatabase(external, `${dbName}_tty`)]);
});

const SCRIPT = [
  '你好',
  '1', // report a problem
  '1', // agree to the privacy notice
  '1', // none of the out-of-scope situations
  '义务教育入学',
  '4', // not handled at the center
  '孩子入学资格审核，教育局不在中心办公，找不到人，来回跑了三次。',
  '说完了',
  '不清楚',
  '王小明',
  '138 1234 5678',
  '1', // confirm
  '/as wangfang',
  '#20261124001 分类 未进驻',
  '#20261124001 被反映单位 无',
  '/as liuyang',
  '#20261124001 转办 jyj', // shows what the unit will read
  '#20261124001 转办 jyj', // sends it
  '/as wuhao',
  '#20261124001 签收',
  '#20261124001 答复 已电话联系家长，补录入学信息，资格审核通过，周五前发入学通知书',
  '/as zhangmin',
  '#20261124001 办结 单位已处办 教育局已处理，资格审核通过',
  '#20261124001 回复',
  '1', // the citizen: satisfied
  '没有了',
  '#20261124001 备案',
  '#20261124001 查看',
];

function runSession(lines: string[]) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['bin/start.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, CLOCK_START: '2026-11-24T10:00:00+08:00', CHANNELS: '', MONGODB_URI: external ?? '', MONGODB_DB: dbName, REDIS_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

describe('console session', () => {
  it('walks one case from report to archive and exits cleanly at end of input', async () => {
    const { code, out, err } = await runSession(SCRIPT);
    expect(code, err).toBe(0);
    // The citizen is registered and told what happens next, in Chinese dates.
    expect(out).toContain('编号：20261124001');
    expect(out).toContain('2026年11月27日（星期五）17:00');
    // Today's duty officer is told at once, personally and in the staff room.
    expect(out).toMatch(/【私信 → 王芳】【新事项】20261124001/);
    // The slip reaches the liaison, with the privacy note and (this unit must call) the contact.
    expect(out).toMatch(/【私信 → 吴昊】“办不成事”反映事项转办单[\s\S]*联系方式：13812345678[\s\S]*任何人不得将举报人的姓名/);
    expect(out).toContain('【发给群众】您反映的事项（编号 20261124001）涉及市教育局');
    // Result and follow-up question in the citizen's chat, numbered for a text channel.
    expect(out).toMatch(/【发给群众】【办理结果】事项 20261124001：教育局已处理，资格审核通过/);
    expect(out).toMatch(/【回访】[\s\S]*1\. 满意[\s\S]*2\. 基本满意[\s\S]*3\. 不满意/);
    // Typing 1 answers the pushed follow-up question; the dialogue thanks the citizen once.
    expect(out).toContain('事项 20261124001 回访结果：满意');
    expect(out.match(/感谢您的评价/g)).toHaveLength(1);
    // Archived, and the staff view shows it with its timeline.
    expect(out).toContain('事项 20261124001 已备案');
    expect(out).toMatch(/已备案/);
    expect(out).not.toContain('⚠️');
    // Logs went to stderr, not into the conversation.
    expect(out).not.toContain('"level"');
  }, 60_000);
});

describe('console controls', () => {
  it('stops reading at /quit in piped input, and /who lists everyone /as accepts', async () => {
    const { code, out, err } = await runSession(['/who', '/as zhaolei', '/as sunli', '/as zhoubin', '/quit', '/as wuhao']);
    expect(code, err).toBe(0);
    // Every staff member of every site, the two sections' staff included.
    for (const id of ['zhangmin', 'zhaolei', 'sunli', 'zhouju', 'admin', 'zhoubin', 'heping']) expect(out).toContain(`（${id}）`);
    expect(out).toContain('当前工作人员身份：孙丽（sunli');
    // The line after /quit does not run.
    expect(out).not.toContain('当前工作人员身份：吴昊');
  }, 60_000);

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript).each([
    ['/quit', '/quit\r'],
    ['the first Ctrl-C', '\x03'],
  ])('ends the process in an interactive terminal on %s', async (_what, keys) => {
    // `script` gives the desk a real terminal (a pty), as a person at the keyboard has.
    const child = spawn('script', ['-qec', `${join(root, 'node_modules/.bin/tsx')} bin/start.ts`, '/dev/null'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, EMBEDDED_IN_MEMORY: '1', CLOCK_START: '2026-11-24T10:00:00+08:00', CHANNELS: '', MONGODB_URI: external ?? '', MONGODB_DB: `${dbName}_tty`, REDIS_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('/quit 退出')) resolve();
      });
    });
    try {
      child.stdin.write(keys);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
