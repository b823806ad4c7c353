// npm run bench -- reports [--cases 10000]
// A month's 问题清单表 (XLSX and CSV, rows composed for a staff member: every free text through the
// privacy detector) and its 考核评价 (aggregates, XLSX and both charts) for `cases` cases received
// in November 2026 at one site, a third of them transferred, on the embedded store in memory.
// Target: under 5 s for 10,000 cases.
import mongoose from 'mongoose';
import { Types } from 'mongoose';
import type { CaseDoc, TransferSlip } from '../models/case.js';
import { startEmbeddedStore } from '../models/embedded/index.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createWorkCalendar } from '../services/calendar/index.js';
import { ManualClock } from '../services/clock.js';
import { createDirectory, loadDirectoryFile, syncDirectory } from '../services/directory/index.js';
import { createLogger } from '../services/logger.js';
import { createReportServices } from '../services/reports/index.js';
import { caseDoc } from '../test/support/case-doc.js';
import { arg } from './_args.js';

const UNITS = ['jyj', 'zjj', 'yushan-st', 'haiyu'];

export async function run(args: string[]): Promise<void> {
  const total = Math.round(arg(args, 'cases', 10_000));
  console.log(`reports bench: --cases ${total} in November 2026, embedded store in memory`);
  const store = await startEmbeddedStore({ dataDir: null, port: 0 });
  const conn = await mongoose.createConnection(store.uri, { dbName: 'bench' }).asPromise();
  const models = createModels(conn);
  await syncIndexes(models);
  await syncDirectory(models, loadDirectoryFile('config/directory.json'));
  const calendar = createWorkCalendar();
  const directory = createDirectory({ models, localDate: calendar.localDate });
  const clock = new ManualClock('2026-12-01T10:00:00+08:00');
  const reports = createReportServices({ models, directory, calendar, clock, logger: createLogger({ level: 'warn', pretty: false }) });

  const t0 = performance.now();
  const start = new Date('2026-11-02T09:00:00+08:00').getTime();
  const span = new Date('2026-11-30T16:00:00+08:00').getTime() - start;
  const batch: CaseDoc[] = [];
  for (let i = 0; i < total; i++) {
    // Office hours only, spread over the month; every third case transferred, most answered.
    let t = start + Math.floor((i / total) * span);
    t = calendar.nextOpening(new Date(t)).getTime();
    const acceptedAt = new Date(t);
    const transferred = i % 3 === 0;
    const settled = i % 5 !== 0;
    const h = (n: number) => new Date(t + n * 3_600_000);
    const slip: TransferSlip | undefined = transferred
      ? ({
          _id: new Types.ObjectId(),
          number: `B${String(i).padStart(10, '0')}-1`,
          unit: UNITS[i % UNITS.length],
          via: 'coordination',
          requestType: '未进驻情形',
          receivedAt: acceptedAt,
          transferredAt: h(1),
          replyDueAt: calendar.addWorkingDays(h(1), 3).at,
          replyDueProvisional: false,
          content: `孩子入学资格审核，第 ${i} 件，诉求人王小明电话13812345678`,
          transferredBy: { kind: 'staff', id: 'liuyang', label: '刘洋' },
          identityShared: true,
          state: settled ? 'replied' : 'acknowledged',
          acknowledgedAt: h(2),
          ...(settled ? { reply: { text: '已电话联系诉求人，资格审核通过，本周内发通知书', eligible: true, at: h(30 + (i % 60)), by: { kind: 'staff', id: 'wuhao', label: '吴昊' } } } : {}),
        } as TransferSlip)
      : undefined;
    batch.push(
      caseDoc({
        chatId: String(500_000 + i),
        number: `B${String(i).padStart(10, '0')}`,
        acceptedAt,
        receivedAt: acceptedAt,
        account: `营业执照变更被要求重复提交材料，来回跑了三次。我叫王小明，电话 138 1234 5678。第 ${i} 件。`,
        category: transferred ? 'NOT_STATIONED' : 'GENERAL',
        status: settled ? 'verified' : transferred ? 'transferred' : 'handling',
        lifecycle: { category: transferred ? 'NOT_STATIONED' : 'GENERAL', transferred, rehandlingRounds: 0, agitated: false },
        transfers: slip ? [slip] : [],
        deadlines: { firstFeedback: { at: calendar.sameDayClose(acceptedAt), provisional: false } },
        replies: [{ at: h(1), by: { kind: 'staff', id: 'zhangmin', label: '张敏' }, kind: 'first_feedback', text: '已受理，正在协调' }],
        ...(settled
          ? {
              outcome: { kind: 'handled', text: '已协调窗口当场办理完毕', at: h(90), by: { kind: 'staff', id: 'zhangmin', label: '张敏' } },
              followUps: [{ at: h(100), by: { kind: 'staff', id: 'zhangmin', label: '张敏' }, round: 1, satisfaction: i % 7 ? 'satisfied' : 'dissatisfied' }],
            }
          : {}),
      }),
    );
    if (batch.length === 1000 || i === total - 1) await models.Case.insertMany(batch.splice(0), { lean: true });
  }
  console.log(`loaded ${await models.Case.estimatedDocumentCount()} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const clerk = await directory.staff('zhangmin');
  const month = { kind: 'month', month: '2026-11' } as const;
  // One warm-up run loads the font and the chart code, as a running desk would have.
  await reports.performance(clerk, { kind: 'range', from: '2026-11-30', to: '2026-11-30' });
  // The machine may be shared: CPU time of this process is reported beside the wall time.
  const cpu0 = process.cpuUsage();
  const a = performance.now();
  const ledger = await reports.ledger(clerk, month);
  const b = performance.now();
  const perf = await reports.performance(clerk, month);
  const c = performance.now();
  const size = (s: typeof ledger) => s.reduce((n, x) => n + (x.kind === 'file' ? (x.base64.length * 3) / 4 : 0), 0);
  console.log(`ledger:      ${((b - a) / 1000).toFixed(2)} s (${ledger[0].kind === 'text' ? ledger[0].text : ''}; XLSX+CSV ${(size(ledger) / 1024).toFixed(0)} KB)`);
  console.log(`performance: ${((c - b) / 1000).toFixed(2)} s (${perf.length - 1} files, ${(size(perf) / 1024).toFixed(0)} KB)`);
  const cpu = process.cpuUsage(cpu0);
  const totalS = (c - a) / 1000;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(`ledger + performance for a month of ${total} cases: ${totalS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU of this process (the embedded store runs in it too) — target < 5 s: ${totalS < 5 ? 'met' : 'MISSED'}`);
  await conn.close();
  await store.close();
}
