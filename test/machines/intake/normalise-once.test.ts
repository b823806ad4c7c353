// A message is read once per step: every guard of a transition (five command words, the picks,
// the length and format checks) used to normalise the text again, which was most of a step's
// cost. Counted on String.prototype.normalize, the first thing every reading does.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { step } from '../../../machines/intake/index.js';
import { TO_SUMMARY } from './helpers.js';
import { intakeMachine, startIntake } from '../../../machines/intake/index.js';

afterEach(() => vi.restoreAllMocks());

describe('reading a typed message', () => {
  it('normalises each text a bounded few times per step, whatever the question', () => {
    let s = startIntake({ locale: 'zh' });
    const counts: number[] = [];
    const normalize = vi.spyOn(String.prototype, 'normalize');
    for (const e of TO_SUMMARY) {
      normalize.mockClear();
      s = step(s, { ...e }).snapshot;
      if (e.type === 'text') counts.push(normalize.mock.calls.length);
    }
    expect(counts.length).toBeGreaterThan(3);
    // The reading (NFKC and answer form), the agitation screen and at most one action's own use.
    for (const n of counts) expect(n).toBeLessThanOrEqual(5); // it was 13 to 19
    expect(s.value).toBe('summary');
  });
});

describe('a step', () => {
  it('does not build an actor (and with it the whole initial dialogue) to take one transition', () => {
    let s = startIntake({ locale: 'zh' });
    // xstate's free transition() creates an actor per call, and an actor computes the machine's initial snapshot.
    const initial = vi.spyOn(intakeMachine, 'getInitialSnapshot');
    for (const e of TO_SUMMARY) s = step(s, e).snapshot;
    expect(initial).not.toHaveBeenCalled(); // it was once per step
    expect(s.value).toBe('summary');
  });
});
