// One bot process for the resilience suite: the desk (createApp over MONGODB_URI) with its
// conversation engine on the shared Redis, behind a webhook-like HTTP endpoint. POST /update
// {who, input} answers 200 with the replies, 500 when the update was not handled (the platform
// then redelivers). Prints "listening <port>" once ready. Killed with SIGKILL by the tests.
import { createServer } from 'node:http';
import { createApp } from '../../app.js';
import { createRedisCoordination } from '../../services/coordination/index.js';
import { createConversationEngine } from '../../services/conversation/index.js';
import { createLogger } from '../../services/logger.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`bot-process needs ${name}`);
  return v;
};
const logger = createLogger({ level: 'error', pretty: false, destination: process.stderr });
const app = await createApp({
  config: {
    MONGODB_URI: env('MONGODB_URI'),
    MONGODB_DB: env('MONGODB_DB'),
    // A test that delivers gives every process one directory whose rooms and staff are on Telegram.
    ...(process.env.DIRECTORY_FILE ? { DIRECTORY_FILE: process.env.DIRECTORY_FILE } : {}),
  },
  // Every process of a test stands on the same instant (the real time moved by CLOCK_OFFSET_MS).
  clock: { now: () => new Date(Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0)) },
  logger,
  calendarOverrides: {},
  channels: [],
  workers: false,
});
const coordination = await createRedisCoordination({ url: env('REDIS_URL'), prefix: env('DESK_PREFIX'), logger });
const engine = createConversationEngine({
  coordination,
  cases: app.cases,
  directory: app.directory,
  calendar: app.calendar,
  logger,
  site: 'city',
  // A burst from a test is faster than any citizen; the limit itself is tested elsewhere.
  rateLimit: { capacity: 1000, refillPerSecond: 1000 },
});

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', async () => {
    try {
      const { who, input } = JSON.parse(body);
      const replies = await engine.handle(who, input);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(replies));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
const stop = async () => {
  server.close();
  await coordination.close();
  await app.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
