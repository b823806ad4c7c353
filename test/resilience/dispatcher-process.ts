// One dispatcher process for the resilience suite: the desk (createApp over MONGODB_URI) with its
// workers on — the relay and dispatcher that app.ts starts — delivering through the real Telegram
// sender to the Bot API at TELEGRAM_API_ROOT (the test's fake), on the shared Redis. Prints
// "dispatching <owner>" once its loop runs, the owner being what its leases are signed with.
// Killed with SIGKILL by the tests.
import { Api } from 'grammy';
import { createApp } from '../../app.js';
import { callbackCodec } from '../../bots/telegram/render.js';
import { createTelegramSender } from '../../bots/telegram/sender.js';
import { createRedisCoordination } from '../../services/coordination/index.js';
import { createLogger } from '../../services/logger.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`dispatcher-process needs ${name}`);
  return v;
};
const logger = createLogger({ level: 'error', pretty: false, destination: process.stderr });
// The sender's own connection to the same Redis and prefix as the app's: it keeps callback data
// and the parts of a split message already sent, which any process must be able to read.
const coordination = await createRedisCoordination({ url: env('REDIS_URL'), prefix: env('DESK_PREFIX'), logger });
const api = new Api(env('TELEGRAM_BOT_TOKEN'), { apiRoot: env('TELEGRAM_API_ROOT'), timeoutSeconds: 20 });
const sender = createTelegramSender({ api, codec: callbackCodec(coordination), coordination, features: () => [] });
const app = await createApp({
  config: {
    MONGODB_URI: env('MONGODB_URI'),
    MONGODB_DB: env('MONGODB_DB'),
    REDIS_URL: env('REDIS_URL'),
    REDIS_PREFIX: env('DESK_PREFIX'),
    DIRECTORY_FILE: env('DIRECTORY_FILE'),
    // Staff and citizens alike hear at once whatever the hour the suite runs.
    QUIET_HOURS: { from: '00:00', to: '00:00' },
  },
  // Every process of a test stands on the same working day (CLOCK_OFFSET_MS from the real time),
  // so no notice waits for the next opening and leases compare alike across processes.
  clock: { now: () => new Date(Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0)) },
  logger,
  calendarOverrides: {},
  channels: [],
  senders: [sender],
  // The platform's limits have their own tests; a burst here should not wait out 20 a minute.
  deliveryLimits: { telegram: {} },
  ...(process.env.LEASE_MS ? { deliveryLeaseMs: Number(process.env.LEASE_MS) } : {}),
});
process.stdout.write(`dispatching ${app.dispatcher.owner}\n`);

const stop = async () => {
  await app.stop();
  await coordination.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
