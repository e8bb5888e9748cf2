/**
 * Small statistics and formatting helpers for the benchmark suite. Every figure is a ratio against
 * a baseline measured in the same run, so the helpers here never compare against fixed budgets.
 */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Arithmetic mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of an empty list');
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Linear-interpolated percentile (`p` in [0, 100]) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** `value` with `digits` significant digits, as a plain (non-exponent) string. */
export function sig(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  // Round first so that 9.9996 renders as 10.0, not 10.00.
  const rounded = Number(value.toPrecision(digits));
  if (rounded === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return rounded.toFixed(decimals);
}

/** Integer with thousands separators (`123,456`). */
export function grouped(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Outcome of comparing a ratio with its target. */
export type Verdict = 'PASS' | 'MISS' | 'INFO';

/** `PASS`/`MISS` for a ratio with a lower (`min`) or upper (`max`) target; `INFO` without one. */
export function judge(ratio: number, target: { readonly min?: number; readonly max?: number } | undefined): Verdict {
  if (target === undefined) return 'INFO';
  if (target.min !== undefined && ratio < target.min) return 'MISS';
  if (target.max !== undefined && ratio > target.max) return 'MISS';
  return 'PASS';
}
