// A whole desk for a test: createApp over a fresh database (embedded, or MONGODB_URI when set),
// the sample directory, a hand-moved clock, and a silent logger unless a stream is given.
import { Writable } from 'node:stream';
import { type App, createApp } from '../../app.js';
import type { CaseDoc } from '../../models/case.js';
import type { OutboxEntry } from '../../models/message.js';
import type { Performer } from '../../services/cases/index.js';
import type { AttachmentStore } from '../../services/attachments.js';
import { ManualClock } from '../../services/clock.js';
import { createLogger } from '../../services/logger.js';
import { useTestDatabase } from './mongo.js';

export interface TestDesk {
  app: App;
  clock: ManualClock;
  /** Everything the app logged, as JSON lines. */
  logs: string[];
  staff(id: string): Promise<Performer & { kind: 'staff' }>;
  citizen(id?: string, channel?: 'telegram' | 'wechat' | 'console'): Performer & { kind: 'citizen' };
  caseDoc(number: string): Promise<CaseDoc>;
  /** Messages written by the case so far (still in its outbox: no dispatcher runs in these tests). */
  outbox(number: string): Promise<OutboxEntry[]>;
  close(): Promise<void>;
}

export async function startDesk(
  name: string,
  opts: { now: string; level?: string; attachments?: AttachmentStore; monitorCommands?: boolean } = { now: '2026-11-24T10:00:00+08:00' },
): Promise<TestDesk> {
  const db = await useTestDatabase(name);
  const clock = new ManualClock(opts.now);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: opts.level ?? 'info', pretty: false, destination: sink });
  const app = await createApp({
    // Command monitoring lets a test count what the desk asks of the store (commandStarted events).
    config: { MONGODB_URI: opts.monitorCommands ? `${db.uri}${db.uri.includes('?') ? '&' : '?'}monitorCommands=true` : db.uri, MONGODB_DB: db.dbName },
    clock,
    logger,
    calendarOverrides: {},
    ...(opts.attachments ? { attachments: opts.attachments } : {}),
    channels: [],
    workers: false, // the cases' outbox stays put for assertions unless a test drives delivery
  });
  const caseDoc = async (number: string) => {
    const d = await app.models.Case.findOne({ number }).lean<CaseDoc>().exec();
    if (!d) throw new Error(`no case ${number}`);
    return d;
  };
  return {
    app,
    clock,
    logs,
    caseDoc,
    async staff(id) {
      return { kind: 'staff', staff: await app.directory.staff(id) };
    },
    citizen: (id = '9001', channel = 'telegram') => ({ kind: 'citizen', identity: { channel, id } }),
    outbox: async (number) => (await caseDoc(number)).outbox,
    async close() {
      await app.stop();
      await db.close();
    },
  };
}
