// One structured logger, created once by the composition root and passed down. Reporter names
// and phone numbers never reach a log line: known fields are redacted and phone-shaped digits in
// messages are masked, whatever the level.
import { type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

const PERSONAL_KEYS = ['reporterName', 'reporterPhone', 'phone', 'contact', 'realName', 'idNumber'];
const REDACT_PATHS = [
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((k) => `*.${k}`),
  'reporter.name',
  'reporter.phone',
  '*.reporter.name',
  '*.reporter.phone',
];

const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})-?\d{4,5}(\d{3})(?!\d)/g;

/** Masks phone numbers inside free text (log messages, error strings). */
export function scrubPhones(s: string): string {
  return s.replace(MOBILE, '$1****$2').replace(LANDLINE, '$1-****$2');
}

/** A connection URL fit to print: the password, if any, replaced by ***. */
export function redactUrl(url: string, unparseable = '(an unparseable URL)'): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return unparseable;
  }
}

export interface LoggerSettings {
  level?: string;
  /** Human-readable output; defaults to whether stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go; defaults to stdout. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[隐藏]' },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubPhones(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  const usePretty = settings.pretty ?? Boolean(process.stdout.isTTY);
  if (usePretty) {
    // Synchronous pretty stream in-process: no worker thread that would keep the process alive.
    const stream = pretty({
      sync: true,
      colorize: Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
      destination: settings.destination ?? 1,
    });
    return pino(options, stream);
  }
  return pino(options, (settings.destination as pino.DestinationStream | undefined) ?? pino.destination({ sync: true }));
}
