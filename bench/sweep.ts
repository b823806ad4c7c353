// npm run bench -- sweep [--cases 100000] [--due-percent 1]
// One deadline-sweeper pass over an embedded store holding `cases` open cases, `due-percent` of
// them with a deadline that has come due (each gets an escalation written); the rest due later.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { CaseDoc } from '../models/case.js';
import { startEmbeddedStore } from '../models/embedded/index.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createWorkCalendar } from '../services/calendar/index.js';
import { ManualClock } from '../services/clock.js';
import { createRedisCoordination } from '../services/coordination/index.js';
import { createSweeper } from '../services/deadlines/index.js';
import { createDirectory, loadDirectoryFile, syncDirectory } from '../services/directory/index.js';
import { createLogger } from '../services/logger.js';
import { arg } from './_args.js';
import { caseDoc } from '../test/support/case-doc.js';

export async function run(args: string[]): Promise<void> {
  const total = Math.round(arg(args, 'cases', 100_000));
  const duePercent = arg(args, 'due-percent', 1);
  const due = Math.round((total * duePercent) / 100);
  console.log(`sweep bench: --cases ${total} --due-percent ${duePercent} (${due} due), embedded store in memory`);

  const store = await startEmbeddedStore({ dataDir: null, port: 0 });
  const conn = await mongoose.createConnection(store.uri, { dbName: 'bench' }).asPromise();
  const models = createModels(conn);
  await syncIndexes(models);
  await syncDirectory(models, loadDirectoryFile('config/directory.json'));
  const calendar = createWorkCalendar();
  const directory = createDirectory({ models, localDate: calendar.localDate });
  // Wednesday 25 Nov 2026 10:00 Shanghai: office open.
  const clock = new ManualClock('2026-11-25T10:00:00+08:00');
  const now = clock.now();
  const yesterday = new Date('2026-11-24T10:00:00+08:00');

  const t0 = performance.now();
  const batch: CaseDoc[] = [];
  for (let i = 0; i < total; i++) {
    const isDue = i % Math.max(1, Math.round(total / Math.max(due, 1))) === 0 && i / Math.round(total / Math.max(due, 1)) < due;
    const accepted = isDue ? yesterday : new Date(now.getTime() - 3_600_000);
    const feedbackAt = isDue ? calendar.sameDayClose(yesterday) : calendar.addWorkingDays(now, 1 + (i % 20)).at;
    batch.push(
      caseDoc({
        chatId: String(100_000 + i),
        number: `S${String(i).padStart(7, '0')}`,
        acceptedAt: accepted,
        status: 'handling',
        category: 'COMPLEX',
        lifecycle: { category: 'COMPLEX', transferred: false, rehandlingRounds: 0, agitated: false },
        deadlines: { firstFeedback: { at: feedbackAt, provisional: false } },
        nextDeadlineAt: isDue ? feedbackAt : new Date(feedbackAt.getTime() - 2 * 3_600_000),
      }),
    );
    if (batch.length === 1000 || i === total - 1) {
      await models.Case.insertMany(batch.splice(0), { lean: true });
    }
  }
  const loaded = performance.now();
  console.log(`loaded ${await models.Case.estimatedDocumentCount()} cases in ${((loaded - t0) / 1000).toFixed(1)} s`);

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const coordination = await createRedisCoordination({ url: redisUrl, prefix: `bench:sweep:${randomUUID()}:` });
  const sweeper = createSweeper({ models, coordination, directory, calendar, clock, logger: createLogger({ level: 'warn', pretty: false }) });

  const a = performance.now();
  const first = await sweeper.tick();
  const b = performance.now();
  const second = await sweeper.sweepOnce();
  const c = performance.now();
  const written = await models.Case.countDocuments({ 'outbox.0': { $exists: true } });
  console.log(`pass 1: scanned ${first?.scanned} cases, wrote ${first?.written} escalations in ${(b - a).toFixed(0)} ms (${((b - a) / Math.max(1, first?.scanned ?? 1)).toFixed(2)} ms per due case)`);
  console.log(`pass 2: scanned ${second.scanned}, wrote ${second.written} in ${(c - b).toFixed(0)} ms (nothing is due again)`);
  console.log(`cases with outbox entries: ${written}`);

  await sweeper.stop();
  await coordination.close();
  await conn.close();
  await store.close();
}
