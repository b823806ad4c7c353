// `npm run report -- <kind> [options]`: the forms, the period ledger and the performance report
// as files in a directory, from the same store the desk uses (MONGODB_URI, else the embedded
// store in DATA_DIR — stop `npm start` first, the embedded store serves one process). Reports are
// composed for a staff member (--as), under the same role and privacy rules as in the chat.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import type { Sayable } from '../models/sayable.js';
import { type Config, ConfigError, loadConfig } from '../services/config.js';
import { DeskError } from '../services/errors.js';
import { createLogger } from '../services/logger.js';
import { type PeriodSpec, parsePeriod } from '../services/reports/index.js';
import { startupFailure } from './startup-failure.js';

const KINDS: Record<string, 'registration' | 'slip' | 'ledger' | 'performance'> = {
  registration: 'registration',
  登记表: 'registration',
  slip: 'slip',
  转办单: 'slip',
  ledger: 'ledger',
  清单: 'ledger',
  问题清单: 'ledger',
  performance: 'performance',
  考核: 'performance',
};

const HELP = `usage: npm run report -- <kind> [options]

reports:
  registration <case number>   登记表 (attachment 1) as PDF                      alias: 登记表
  slip <case number>           转办单 (attachment 3) for every transfer of the case,
                               as PDF and text (a liaison gets the unit's copy)   alias: 转办单
  ledger                       问题清单表 (attachment 2) of a period, XLSX and CSV;
                               cases still open when the period began are listed
                               again with 备注 是                                   alias: 清单
  performance                  考核评价: per unit and per site, XLSX (with charts),
                               two PNG charts and the chat table as text           alias: 考核

options:
  --period <p>     ledger/performance: 本周, 上周, 本月, 上月 (or this-week, last-week,
                   this-month, last-month), a month 2026-11, or one day 2026-11-24.
                   Default: ledger this week (REPORT_LEDGER_PERIOD=month: this month),
                   performance this month
  --from <day> --to <day>
                   any range of days instead of --period, both included (2026-11-01 2026-11-30)
  --site <code>    the site (default: the --as staff member's own; admins and leaders any)
  --as <staff id>  whose rights and privacy view apply (default: the directory's first admin)
  --full           registration: print the reporter's full name and phone (needs a role
                   that may see it; written to the audit log)
  --out <dir>      where the files go (default: ./reports)
  -h, --help       this text

The store is MONGODB_URI when set, else the embedded store in DATA_DIR (default ./data);
every other setting is read from the environment as for npm start.
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      period: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      site: { type: 'string' },
      as: { type: 'string' },
      full: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
try {
  parsed = parse();
} catch (e) {
  fail(`${(e as Error).message}\n\n${HELP}`);
}
const { values, positionals } = parsed;
if (values.help || positionals.length === 0) {
  process.stdout.write(HELP);
  process.exit(values.help ? 0 : 2);
}
const kind = KINDS[positionals[0]];
if (!kind) fail(`unknown report "${positionals[0]}"; one of: registration, slip, ledger, performance (--help)`);
const number = positionals[1];
if ((kind === 'registration' || kind === 'slip') && !number) fail(`${kind} needs a case number, e.g. npm run report -- ${kind} 20261124001`);

function periodSpec(): PeriodSpec | undefined {
  if (values.from || values.to) {
    if (!values.from || !values.to) fail('--from and --to go together');
    const p = parsePeriod(`${values.from} ${values.to}`);
    if (!p || 'error' in p) fail(p && 'error' in p ? p.error : `--from ${values.from} --to ${values.to}: expected two days like 2026-11-01`);
    return p;
  }
  if (!values.period) return undefined;
  const p = parsePeriod(values.period);
  if (!p || 'error' in p) fail(p && 'error' in p ? p.error : `--period ${values.period}: expected 本周, 上周, 本月, 上月, a month (2026-11) or a day`);
  return p;
}
const period = periodSpec();

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) fail(`configuration error: ${e.message}`);
  throw e;
}

const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, destination: process.stderr });
let app: Awaited<ReturnType<typeof createApp>>;
try {
  app = await createApp({ config, logger, channels: [], workers: false });
} catch (e) {
  const line = startupFailure(e);
  if (line) fail(`cannot start: ${line}`);
  throw e;
}

/** A text goes beside the file it introduces (转办单-…-1.txt), or under the report's name. */
function write(out: string, says: Sayable[]): string[] {
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  says.forEach((s, i) => {
    if (s.kind === 'choices') return;
    const next = says[i + 1];
    const name = s.kind === 'file' ? s.name : next?.kind === 'file' ? next.name.replace(/\.[a-z]+$/, '.txt') : `${kind}.txt`;
    const path = resolve(join(out, name.replace(/[\\/]/g, '_')));
    writeFileSync(path, s.kind === 'file' ? Buffer.from(s.base64, 'base64') : `${s.text}\n`);
    written.push(path);
  });
  return written;
}

let code = 0;
try {
  const asId = values.as ?? (await app.models.Staff.findOne({ roles: 'admin', active: true }).sort({ _id: 1 }).lean())?._id;
  if (!asId) throw new DeskError('not_found', 'no admin in the directory: name a staff member with --as <staff id>');
  const staff = await app.directory.staff(asId);
  const r = app.reports;
  const says =
    kind === 'registration'
      ? await r.registration(staff, number, { reveal: Boolean(values.full) })
      : kind === 'slip'
        ? await r.slips(staff, number)
        : kind === 'ledger'
          ? await r.ledger(staff, period ?? r.defaultLedgerPeriod, { site: values.site })
          : await r.performance(staff, period ?? { kind: 'relative', unit: 'month', offset: 0 }, { site: values.site });
  for (const p of write(values.out ?? 'reports', says)) process.stdout.write(`${p}\n`);
} catch (e) {
  if (!(e instanceof DeskError)) throw e;
  process.stderr.write(`${e.message}\n`);
  code = 1;
} finally {
  await app.stop();
}
process.exit(code);
