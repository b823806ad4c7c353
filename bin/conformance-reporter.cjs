// mocha reporter for `npm run conformance`: writes every test mocha loaded, not only those that ran.
// mocha's own JSON reporter lists a test only once it ran, so a failing before/beforeEach hook
// made the tests behind it vanish from the total; here such a test is reported as `notRun` with
// the hook's error, and the conformance script counts it as a failure.
// Loaded by mocha itself (CommonJS, outside the TypeScript build): `--reporter <this file>
// --reporter-option output=<file.json>`.
'use strict';
const { writeFileSync } = require('node:fs');

function fullTitle(runnable) {
  return typeof runnable.fullTitle === 'function' ? runnable.fullTitle() : runnable.title;
}

function message(err) {
  if (!err) return '';
  return String(err.message ?? err);
}

/** Every test under `suite`, depth first, in mocha's order. */
function* allTests(suite) {
  yield* suite.tests;
  for (const child of suite.suites) yield* allTests(child);
}

class ConformanceReporter {
  constructor(runner, options) {
    const output = options?.reporterOption?.output ?? options?.reporterOptions?.output;
    if (!output) throw new Error('conformance reporter: pass --reporter-option output=<file>');
    const failedHooks = new Map(); // suite -> { title, message }
    const errors = new Map(); // test -> message
    const hookFailures = [];
    const started = Date.now();
    let written = false;

    runner.on('fail', (runnable, err) => {
      if (runnable.type === 'hook') {
        const hook = { title: fullTitle(runnable), file: runnable.file ?? runnable.parent?.file, message: message(err) };
        hookFailures.push(hook);
        if (runnable.parent && !failedHooks.has(runnable.parent)) failedHooks.set(runnable.parent, hook);
      } else errors.set(runnable, message(err));
    });

    const hookFor = (test) => {
      for (let s = test.parent; s; s = s.parent) if (failedHooks.has(s)) return failedHooks.get(s);
      return null;
    };

    const write = (complete) => {
      if (written) return;
      written = true;
      const tests = [];
      const blamed = new Set();
      for (const t of allTests(runner.suite)) {
        const pending = t.isPending();
        const state = pending ? 'pending' : t.state === 'passed' ? 'passed' : t.state === 'failed' ? 'failed' : 'notRun';
        let err = errors.get(t) ?? '';
        if (state === 'notRun') {
          const hook = hookFor(t);
          if (hook) {
            blamed.add(hook);
            err = `not run: ${hook.title} failed: ${hook.message}`;
          } else err = complete ? 'not run (no hook failure was reported)' : 'not run: mocha stopped before reaching it';
        }
        // A test mocha marks failed because its afterEach hook failed carries the hook's error.
        if (state === 'failed' && !err) {
          const hook = hookFor(t);
          if (hook) err = `${hook.title} failed: ${hook.message}`;
        }
        tests.push({ fullTitle: fullTitle(t), file: t.file ?? null, state, duration: t.duration ?? 0, err });
      }
      // A hook failure that stopped no test (an after/afterAll hook) still failed: it counts once.
      const unattributed = hookFailures.filter((h) => !blamed.has(h));
      writeFileSync(
        output,
        JSON.stringify({ complete, durationMs: Date.now() - started, tests, hookFailures, unattributedHookFailures: unattributed }),
      );
    };

    runner.once('end', () => write(true));
    // mocha --exit or a crash: still leave the list behind, with what had not run marked so.
    process.once('exit', () => write(false));
  }
}

module.exports = ConformanceReporter;
