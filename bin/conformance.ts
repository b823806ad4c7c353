// `npm run conformance -- <mongoose checkout> [mocha file globs...]`: runs mongoose's own mocha
// suite against a freshly started `npm run store` (durable, in a temporary data directory) and
// prints the pass rate of the tests a single node can claim. The checkout is a git clone of
// Automattic/mongoose at the tag matching package-lock.json's mongoose, with its dev
// dependencies installed (`npm install`), kept outside this project.
//
// What counts: every test mocha loaded (bin/conformance-reporter.cjs lists them all), passed or
// not; a test that never ran because a hook before it failed, or because mocha stopped, counts as
// failed, and an after-hook failure that stopped no test counts as one failure of its own. Out of scope, and left out of both sides:
// - tests the suite skips itself (pending), e.g. the ones that need START_REPLICA_SET;
// - files that need a replica set or client-side encryption: test/docs/transactions.test.js,
//   test/model.watch.test.js, test/encryption/** (mongoose's `npm test` ignores encryption too);
// - any test whose full title names a transaction, a change stream or watch(), a replica set or
//   sharding (OUT_OF_SCOPE below), whatever its outcome.
// Prints the failing in-scope tests, the run time and the slowest tests; exits 1 when a
// threshold given with --min <percent> is not met.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const OUT_OF_SCOPE_FILES = ['test/docs/transactions.test.js', 'test/model.watch.test.js'];
const OUT_OF_SCOPE = /transaction|change ?stream|\bwatch\(|replica ?set|\bshard/i;

/** One test as bin/conformance-reporter.cjs records it: every test mocha loaded, run or not. */
interface ReportedTest {
  fullTitle: string;
  file: string | null;
  /** notRun: mocha never ran it, because a hook before it failed or mocha stopped. */
  state: 'passed' | 'failed' | 'pending' | 'notRun';
  duration: number;
  err: string;
}
interface Report {
  complete: boolean;
  tests: ReportedTest[];
  /** Hook failures that kept no test from running (after/afterEach hooks): each counts as one failure. */
  unattributedHookFailures: { title: string; file?: string; message: string }[];
}

const args = process.argv.slice(2);
const minAt = args.indexOf('--min');
const min = minAt >= 0 ? Number(args.splice(minAt, 2)[1]) : null;
const [checkoutArg, ...globs] = args;
if (!checkoutArg) {
  process.stderr.write('usage: npm run conformance -- <path to a mongoose git checkout> [test globs] [--min 99]\n');
  process.exit(2);
}
const checkout = resolve(checkoutArg);
const theirs = JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8')).version as string;
const lock = JSON.parse(await readFile(new URL('../package-lock.json', import.meta.url), 'utf8'));
const ours = lock.packages['node_modules/mongoose'].version as string;
if (theirs !== ours) process.stderr.write(`note: the checkout is mongoose ${theirs}; package-lock.json has ${ours}\n`);

const dataDir = await mkdtemp(join(tmpdir(), 'conformance-store-'));
const store = spawn(process.execPath, ['--import', 'tsx', new URL('./store.ts', import.meta.url).pathname], {
  env: { ...process.env, DATA_DIR: dataDir, EMBEDDED_MONGO_PORT: '0', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const uri = await new Promise<string>((done, fail) => {
  store.once('exit', (code) => fail(new Error(`the store exited with ${code} before printing its URI`)));
  createInterface({ input: store.stdout }).once('line', done);
});

/** CPU seconds (user + system) a process has used, from /proc (Linux); null where that is not readable. */
async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const reportFile = join(dataDir, 'mocha.json');
const started = Date.now();
const mocha = spawn(
  process.execPath,
  [
    join(checkout, 'node_modules/mocha/bin/mocha.js'),
    '--exit',
    '--ignore',
    'test/encryption/**/*.test.js',
    ...OUT_OF_SCOPE_FILES.flatMap((f) => ['--ignore', f]),
    '--reporter',
    new URL('./conformance-reporter.cjs', import.meta.url).pathname,
    '--reporter-option',
    `output=${reportFile}`,
    ...(globs.length > 0 ? globs : ['./test/**/*.test.js']),
  ],
  { cwd: checkout, env: { ...process.env, MONGOOSE_TEST_URI: `${uri}mongoose_test` }, stdio: 'inherit' },
);
await once(mocha, 'exit');
const seconds = (Date.now() - started) / 1000;
const storeCpu = await cpuSeconds(store.pid);
store.kill('SIGTERM');
await once(store, 'exit');

const report = JSON.parse(await readFile(reportFile, 'utf8').catch(() => 'null')) as Report | null;
await rm(dataDir, { recursive: true, force: true });
if (!report) {
  process.stderr.write('mocha left no report: it failed before loading the tests\n');
  process.exit(1);
}
const rel = (file: string | null | undefined) => (file ? file.slice(checkout.length + 1) : '?');
const inScope = (t: ReportedTest) => !OUT_OF_SCOPE.test(t.fullTitle);
const counted = report.tests.filter((t) => t.state !== 'pending');
const scoped = counted.filter(inScope);
const passed = scoped.filter((t) => t.state === 'passed');
const failed = scoped.filter((t) => t.state !== 'passed');
const hookFailures = report.unattributedHookFailures.filter((h) => !OUT_OF_SCOPE.test(h.title));
const pending = report.tests.length - counted.length;
const excluded = counted.length - scoped.length;
for (const t of failed) process.stdout.write(`FAIL ${rel(t.file)} > ${t.fullTitle}\n     ${t.err.split('\n')[0]}\n`);
for (const h of hookFailures) process.stdout.write(`FAIL ${rel(h.file)} > ${h.title}\n     ${h.message.split('\n')[0]}\n`);
const notRun = failed.filter((t) => t.state === 'notRun').length;
const slowest = [...scoped].sort((a, b) => b.duration - a.duration).slice(0, 5);
process.stdout.write(`slowest: ${slowest.map((t) => `${t.duration} ms ${rel(t.file)} > ${t.fullTitle}`).join('\n         ')}\n`);
const total = scoped.length + hookFailures.length;
const rate = (100 * passed.length) / total;
process.stdout.write(
  `mongoose ${theirs} suite against the embedded store: ${passed.length} of ${total} in-scope tests pass (${rate.toFixed(2)} %), ` +
    `${failed.length - notRun} failed, ${notRun} not run because a hook failed or mocha stopped, ${hookFailures.length} failing after-hooks; ` +
    `${pending} skipped by the suite, ${excluded} out of scope by title, ${seconds.toFixed(0)} s\n`,
);
if (storeCpu !== null) process.stdout.write(`the store used ${storeCpu.toFixed(1)} s of CPU of the ${seconds.toFixed(0)} s run (the rest is mocha, mongoose and other load)\n`);
if (!report.complete) process.stdout.write('mocha did not finish the run: the tests it never reached count as failures\n');
if (min !== null && !(rate >= min)) process.exitCode = 1;
