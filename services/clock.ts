// Time is a dependency like any other: services read it from a Clock so that tests can stand
// on any date (a National Day week, a holiday night) without waiting.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: Date | string | number) {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  set(t: Date | string | number): void {
    this.#t = new Date(t).getTime();
  }
  advance(ms: number): void {
    this.#t += ms;
  }
}

/**
 * A clock that starts at a chosen instant and then runs in real time: for training sessions and
 * scripted demos that must land on a working day whatever the machine's date (CLOCK_START).
 */
export function startingClock(start: Date | string, real: Clock = systemClock): Clock {
  const offset = new Date(start).getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset) };
}
