// The conformance figure counts every test mocha loaded: a test that never ran because a hook
// before it failed is a failure, not a test that vanishes from the total (mocha's JSON reporter
// lists only what ran, so a failing before-all hook used to raise the pass rate). The reporter
// is driven here through the runner interface mocha gives reporters: events plus the suite tree.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const Reporter = createRequire(import.meta.url)('../../bin/conformance-reporter.cjs') as new (runner: EventEmitter, options: object) => unknown;

interface FakeSuite {
  title: string;
  parent: FakeSuite | null;
  tests: FakeTest[];
  suites: FakeSuite[];
  fullTitle(): string;
}
interface FakeTest {
  title: string;
  parent: FakeSuite;
  state?: 'passed' | 'failed';
  pending: boolean;
  duration?: number;
  file: string;
  isPending(): boolean;
  fullTitle(): string;
}

function suite(title: string, parent: FakeSuite | null): FakeSuite {
  const s: FakeSuite = {
    title,
    parent,
    tests: [],
    suites: [],
    fullTitle: () => [parent?.fullTitle(), title].filter(Boolean).join(' '),
  };
  parent?.suites.push(s);
  return s;
}

function test(parent: FakeSuite, title: string, pending = false): FakeTest {
  const t: FakeTest = {
    title,
    parent,
    pending,
    file: '/m/test/x.test.js',
    isPending: () => pending,
    fullTitle: () => `${parent.fullTitle()} ${title}`,
  };
  parent.tests.push(t);
  return t;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('conformance reporter', () => {
  it('reports the tests behind a failing before-all or before-each hook as not run, and an after-all failure once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-reporter-'));
    dirs.push(dir);
    const output = join(dir, 'report.json');
    const root = suite('', null);
    const ok = suite('ok', root);
    const passes = test(ok, 'passes');
    const fails = test(ok, 'fails');
    test(ok, 'skipped', true);
    const broken = suite('no db', root);
    test(broken, 't1');
    test(suite('inner', broken), 't2');
    const each = suite('each', root);
    const e1 = test(each, 'e1');
    test(each, 'e2');
    const cleanup = suite('cleanup', root);
    const a1 = test(cleanup, 'a1');

    const runner = Object.assign(new EventEmitter(), { suite: root });
    new Reporter(runner, { reporterOption: { output } });
    passes.state = 'passed';
    runner.emit('pass', passes);
    fails.state = 'failed';
    runner.emit('fail', fails, new Error('boom'));
    runner.emit('fail', { type: 'hook', title: '"before all" hook', parent: broken, fullTitle: () => 'no db "before all" hook' }, new Error('refused'));
    e1.state = 'passed';
    runner.emit('fail', { type: 'hook', title: '"before each" hook', parent: each, fullTitle: () => 'each "before each" hook for "e2"' }, new Error('second'));
    a1.state = 'passed';
    runner.emit('fail', { type: 'hook', title: '"after all" hook', parent: cleanup, fullTitle: () => 'cleanup "after all" hook' }, new Error('teardown'));
    runner.emit('end');

    const report = JSON.parse(readFileSync(output, 'utf8'));
    const states = Object.fromEntries(report.tests.map((t: { fullTitle: string; state: string }) => [t.fullTitle, t.state]));
    expect(states).toEqual({
      'ok passes': 'passed',
      'ok fails': 'failed',
      'ok skipped': 'pending',
      'no db t1': 'notRun',
      'no db inner t2': 'notRun',
      'each e1': 'passed',
      'each e2': 'notRun',
      'cleanup a1': 'passed',
    });
    const t2 = report.tests.find((t: { fullTitle: string }) => t.fullTitle === 'no db inner t2');
    expect(t2.err).toContain('refused');
    expect(report.unattributedHookFailures.map((h: { title: string }) => h.title)).toEqual(['cleanup "after all" hook']);
    expect(report.complete).toBe(true);
  });
});
