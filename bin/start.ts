// `npm start`: a thin CLI over createApp. Reads the environment once, refuses bad values in one
// line (exit 2), prints what it serves, and stops cleanly on Ctrl-C / SIGTERM.
import { type App, createApp } from '../app.js';
import { type Config, ConfigError, loadConfig } from '../services/config.js';
import { createLogger } from '../services/logger.js';
import { startupFailure } from './startup-failure.js';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`配置错误 / configuration error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

// A bot token alone means a bot deployment; the console stays the default otherwise.
const channels = config.CHANNELS ?? (config.TELEGRAM_BOT_TOKEN ? ['telegram'] : ['console']);
const headless = !channels.includes('console');
// The console channel owns the terminal: keep logs out of its way unless asked for.
const logger = createLogger({ level: config.LOG_LEVEL, destination: headless ? undefined : process.stderr });

let app: App;
try {
  app = await createApp({ config, logger, channels });
} catch (e) {
  const line = startupFailure(e);
  if (line) {
    process.stderr.write(`启动失败 / cannot start: ${line}\n`);
    process.exit(2);
  }
  throw e;
}

// Handlers first: a SIGTERM sent on seeing the line below must find them (the default action exits 143).
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: stopping`);
  await app.stop();
  process.exitCode = 0;
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
logger.info(
  { mongodb: app.info.mongodb, redis: app.info.redis, channels: app.info.channels },
  `办不成事 case desk serving — MongoDB: ${app.info.mongodb}; coordination: ${app.info.redis}; channels: ${app.info.channels.join(', ') || 'none'}`,
);

app.stopped.then(() => void shutdown('end of input'));
