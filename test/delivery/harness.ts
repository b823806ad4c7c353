// What delivery and deadline suites stand on: a fresh database (embedded store, or MONGODB_URI),
// the sample directory, a real Redis under a key prefix of its own, and a case builder that writes
// CaseDoc documents directly, the way the case services would.
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { type CaseDoc, createModels, type Models, syncIndexes } from '../../models/index.js';
import type { OutboxEntry } from '../../models/message.js';
import { createWorkCalendar, type WorkCalendar } from '../../services/calendar/index.js';
import { type Coordination, createRedisCoordination } from '../../services/coordination/index.js';
import { createDirectory, type Directory, loadDirectoryFile, syncDirectory } from '../../services/directory/index.js';
import { createLogger, type Logger } from '../../services/logger.js';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';
import { deleteRedisKeys } from '../support/redis.js';

export interface Harness {
  db: TestDatabase;
  conn: Connection;
  models: Models;
  directory: Directory;
  calendar: WorkCalendar;
  logger: Logger;
  redisUrl: string;
  prefix: string;
  coordination(): Promise<Coordination>;
  /** Deletes every Redis key of this harness: what a FLUSHALL does to us, without touching other suites. */
  flushRedis(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const db = await useTestDatabase(name);
  const conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const models = createModels(conn);
  await syncIndexes(models);
  const calendar = createWorkCalendar();
  await syncDirectory(models, loadDirectoryFile('config/directory.json'));
  const directory = createDirectory({ models, localDate: calendar.localDate });
  const logger = createLogger({ level: 'silent', pretty: false });
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test:${name}:${randomUUID()}:`;
  const opened: Coordination[] = [];
  const flushRedis = () => deleteRedisKeys(redisUrl, prefix);

  return {
    db,
    conn,
    models,
    directory,
    calendar,
    logger,
    redisUrl,
    prefix,
    async coordination() {
      const c = await createRedisCoordination({ url: redisUrl, prefix });
      opened.push(c);
      return c;
    },
    flushRedis,
    async close() {
      for (const c of opened) await c.close();
      await flushRedis();
      await conn.close();
      await db.close();
    },
  };
}

export { caseDoc } from '../support/case-doc.js';


/** A citizen push caused by change `version` of the case, as the case services would write it. */
export function citizenEntry(c: CaseDoc, n: number, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    _id: `${c._id.toString()}:${c.version}:${n}`,
    audience: 'citizen',
    to: { channel: 'telegram', id: c.reporter.identity?.id ?? '1001' },
    site: c.site,
    caseId: c._id.toString(),
    caseNumber: c.number,
    sayable: { kind: 'text', text: `事项 ${c.number} 第 ${n} 条消息` },
    createdAt: c.updatedAt,
    reason: 'case.progress',
    ...over,
  };
}
