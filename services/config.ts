// The one place that reads the environment. Every variable is validated here and listed in the
// README's configuration table; a bad value stops start-up with one line naming the variable.
import { z } from 'zod';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const CHANNEL_NAMES = ['console', 'telegram', 'wechat'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const range = (what: string) =>
  z
    .string()
    .regex(new RegExp(`^${hhmm.source.slice(1, -1)}-${hhmm.source.slice(1, -1)}$`), {
      message: `expected ${what} as HH:MM-HH:MM, e.g. 09:00-17:00`,
    })
    .transform((s) => {
      const [from, to] = s.split('-');
      return { from, to };
    });

const urlWithScheme = (schemes: string[], example: string) =>
  z.string().refine(
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `expected a ${schemes.map((s) => `${s}://`).join(' or ')} URL, e.g. ${example}` },
  );

const port = z.coerce
  .number({ message: 'expected a TCP port number (0-65535)' })
  .int({ message: 'expected a TCP port number (0-65535)' })
  .min(0, { message: 'expected a TCP port number (0-65535)' })
  .max(65535, { message: 'expected a TCP port number (0-65535)' });

const schema = z.object({
  LOG_LEVEL: z.enum(LEVELS, { message: `expected one of ${LEVELS.join(', ')}` }).default('info'),
  MONGODB_URI: urlWithScheme(['mongodb', 'mongodb+srv'], 'mongodb://127.0.0.1:27017/desk').optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, { message: 'expected a database name (letters, digits, _ and -)' })
    .default('banbucheng'),
  REDIS_URL: urlWithScheme(['redis', 'rediss'], 'redis://127.0.0.1:6379').optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{0,64}$/, { message: 'expected letters, digits, ":", "_" or "-"' })
    .default('desk:'),
  DATA_DIR: z.string().min(1, { message: 'expected a directory path' }).default('./data'),
  EMBEDDED_MONGO_PORT: port.optional(),
  EMBEDDED_IN_MEMORY: z.enum(['0', '1'], { message: 'expected 1 (keep nothing on disk) or 0' }).default('0'),
  EMBEDDED_COMPACT_EVERY_BYTES: z.coerce
    .number({ message: 'expected a size in bytes, e.g. 67108864' })
    .int({ message: 'expected a size in bytes, e.g. 67108864' })
    .min(65536, { message: 'expected at least 65536 bytes' })
    .optional(),
  DIRECTORY_FILE: z.string().min(1).default('config/directory.json'),
  CALENDAR_FILE: z.string().min(1).default('config/calendar.json'),
  OFFICE_HOURS: range('office hours').default({ from: '09:00', to: '17:00' }),
  QUIET_HOURS: range('quiet hours').default({ from: '21:00', to: '08:00' }),
  CHANNELS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x && x !== 'none'),
    )
    .pipe(
      z.array(
        z.enum(CHANNEL_NAMES, { message: `expected a comma list of ${CHANNEL_NAMES.join(', ')}, or none for a headless worker` }),
      ),
    )
    .optional(),
  SITE: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, { message: 'expected a site code from the directory, e.g. city' })
    .optional(),
  LOCALE: z.enum(['zh', 'en'], { message: 'expected zh or en' }).default('zh'),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d{5,16}:[A-Za-z0-9_-]{30,64}$/, { message: 'expected the token @BotFather gave, e.g. 123456789:AAF…' }).optional(),
  TELEGRAM_API_ROOT: urlWithScheme(['https', 'http'], 'https://api.telegram.org')
    .transform((s) => s.replace(/\/+$/, ''))
    .default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: urlWithScheme(['https', 'http'], 'https://desk.example.gov.cn/telegram').optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { message: 'expected 16-256 letters, digits, "_" or "-" (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)' }).optional(),
  TELEGRAM_WEBHOOK_HOST: z.string().min(1).default('127.0.0.1'),
  TELEGRAM_WEBHOOK_PORT: port.default(8443),
  POSTER_FONT: z.string().min(1, { message: 'expected the path of a .ttf or .otf file' }).optional(),
  WECHATY_PUPPET: z
    .string()
    .regex(/^(@[a-z0-9-]+\/)?[a-z0-9-]+$/, { message: 'expected a puppet package name, e.g. wechaty-puppet-service' })
    .optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(1).optional(),
  WECHAT_OA_APP_ID: z.string().regex(/^wx[0-9a-f]{16}$/, { message: 'expected the AppID from 设置与开发 → 基本配置, e.g. wx0123456789abcdef' }).optional(),
  WECHAT_OA_APP_SECRET: z.string().regex(/^[0-9a-zA-Z]{16,64}$/, { message: 'expected the AppSecret from 设置与开发 → 基本配置' }).optional(),
  WECHAT_OA_TOKEN: z.string().regex(/^[0-9a-zA-Z]{3,32}$/, { message: 'expected the 3-32 letters and digits set as 令牌(Token) in 服务器配置' }).optional(),
  WECHAT_OA_AES_KEY: z.string().regex(/^[0-9a-zA-Z]{43}$/, { message: 'expected the 43-character EncodingAESKey from 服务器配置' }).optional(),
  WECHAT_OA_HOST: z.string().min(1).default('127.0.0.1'),
  WECHAT_OA_PORT: port.default(8080),
  WECHAT_OA_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, { message: 'expected a URL path, e.g. /wechat' }).default('/wechat'),
  WECHAT_API_BASE: urlWithScheme(['https', 'http'], 'https://api.weixin.qq.com/').default('https://api.weixin.qq.com/'),
  WECHAT_OA_TEMPLATES: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON, see the README (WeChat → template messages)' });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(
        z.string(),
        z.object({ templateId: z.string().min(1), fields: z.record(z.string(), z.string()), url: z.string().optional() }),
        { message: 'expected {"<message kind>": {"templateId": "…", "fields": {"thing1": "{text}", …}}}' },
      ),
    )
    .default({}),
  REPORT_LEDGER_PERIOD: z.enum(['week', 'month'], { message: 'expected week or month' }).default('week'),
  REPORT_SCHEDULE: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x && x !== 'off'),
    )
    .pipe(z.array(z.enum(['weekly', 'monthly'], { message: 'expected off, or a comma list of weekly (ledger) and monthly (performance)' })))
    .default([]),
  REPORT_POST_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected HH:MM, e.g. 09:00' })
    .default('09:00'),
  REPORT_FONT: z.string().min(1).optional(),
  REPORT_FONT_FACE: z.string().min(1).optional(),
  CLOCK_START: z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), {
      message: 'expected an ISO date-time with offset, e.g. 2026-11-24T10:00:00+08:00',
    })
    .optional(),
});

export type Config = z.output<typeof schema>;

/** A configuration mistake an operator can fix; `message` is the one line to print. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates configuration from an environment map (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": `FOO= npm start` should behave like no FOO at all.
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const got = present[variable];
    throw new ConfigError(variable, `${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
  }
  return parsed.data;
}

/** The README's configuration table is checked against this list by a test. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);
