/** Elapsed time between two readings of a clock (latency fields of traces and MCP decisions). */
import type { Timestamp } from './timestamp-type.js';

/**
 * Milliseconds from `start` to `end`, fractional (nanosecond resolution); 0 when `end` is not after `start`.
 * @example elapsedMs({ seconds: 1, nanos: 0, offsetMinutes: 0 }, { seconds: 1, nanos: 1_500_000, offsetMinutes: 0 }) // 1.5
 */
export function elapsedMs(start: Timestamp, end: Timestamp): number {
  const ms = (end.seconds - start.seconds) * 1000 + (end.nanos - start.nanos) / 1e6;
  return ms > 0 ? ms : 0;
}
