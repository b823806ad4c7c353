// One structured logger, created once by the composition root and passed down. Reporter names
// phone numbers and chat ids never reach a log line: known fields are redacted, phone-shaped digits
// in messages are masked and other contact identifiers hidden, whatever the level.
import { type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';
import { replaceIdentifiers } from './privacy/detector.js';

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

// People write numbers as they say them: 138-1234-5678, 138 1234 5678, +86 138…, (0512)5234 5678,
// or in full-width digits from a Chinese keyboard. Each of those is still the reporter's phone.
const D = '[0-9０-９]';
const SEP = '[\\s\\u00a0\\-－]';
const MOBILE = new RegExp(`(?<!${D})(?:[+＋]?[8８][6６]${SEP}?)?([1１][3-9３-９]${D})${SEP}?${D}{4}${SEP}?(${D}{4})(?!${D})`, 'g');
const LANDLINE = new RegExp(`(?<!${D})[(（]?([0０]${D}{2,3})(?:[)）]${SEP}?|${SEP})?(${D}{3,4})${SEP}?(${D}{4})(?!${D})`, 'g');

/** Masks phone numbers inside free text (log messages, error strings). */
export function scrubPhones(s: string): string {
  return s
    .replace(MOBILE, (_m, head: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, _mid: string, last: string) => `${area}-****${last.slice(1)}`);
}

/** Finds phone-shaped numbers in free text, written in any of the ways `scrubPhones` knows. */
export function replacePhones(s: string, by: string): string {
  return s.replace(MOBILE, by).replace(LANDLINE, by);
}

/**
 * A log line fit to keep: phones masked as before, then every other contact identifier the
 * detector knows in machine text (chat ids such as wechat:wxid_…, which reach the person on
 * WeChat; e-mail addresses; ID numbers; phones written with brackets or dots) hidden.
 */
export function scrubLogLine(s: string): string {
  return replaceIdentifiers(
    scrubPhones(s),
    (hit, written) => (hit.kind === 'chat_id' ? `${written.replace(/[:：].*$/su, '')}:[隐藏]` : '[隐藏]'),
    undefined,
    { mode: 'log' },
  );
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
      // The last word on every line, whatever object carried the number (an error's message, a
      // sender's failure reason, a nested document): a phone never reaches the log.
      streamWrite: scrubLogLine,
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubLogLine(a) : a)) as Parameters<typeof method>,
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
