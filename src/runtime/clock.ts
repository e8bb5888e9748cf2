import type { Timestamp } from './timestamp-type.js';

/** Source of the current time. The pure layers never read the wall clock themselves. */
export interface Clock {
  /** The current instant, in UTC (offset 0). */
  now(): Timestamp;
}

/** The system wall clock with millisecond precision. */
export const systemClock: Clock = {
  now(): Timestamp {
    const ms = Date.now();
    const seconds = Math.floor(ms / 1000);
    return { seconds, nanos: (ms - seconds * 1000) * 1_000_000, offsetMinutes: 0 };
  },
};

/** A clock frozen at `at` (tests, replays). */
export function fixedClock(at: Timestamp): Clock {
  return { now: () => at };
}
