/**
 * Result model and rendering of the benchmark report: one summary line per figure, a table of
 * every measured operation, and (with `--json`) one JSON object.
 */
import { grouped, judge, sig } from './stats.js';
import type { Verdict } from './stats.js';

export interface Target {
  readonly min?: number;
  readonly max?: number;
}

/** A ratio (or absolute figure) judged against its target. */
export interface Check {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: Target | undefined;
  readonly verdict: Verdict;
}

/** One row of the operations table. */
export interface Row {
  readonly figure: string;
  readonly operation: string;
  readonly role: 'ours' | 'variant' | 'baseline';
  /** µs for in-process operations, ms for whole processes */
  readonly p50: number;
  readonly mean: number;
  readonly unit: 'µs' | 'ms';
  readonly opsPerSec: number;
  readonly samples: number;
}

export interface FigureResult {
  readonly id: string;
  readonly title: string;
  /** the printed one-line summary */
  readonly summary: string;
  readonly checks: readonly Check[];
  readonly rows: readonly Row[];
  /** figure-specific details for the JSON report */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A check of `value` against `target`. */
export function check(name: string, value: number, unit: string, target?: Target): Check {
  return { name, value, unit, target, verdict: judge(value, target) };
}

/** `(target ≥5×) PASS`, `(target ≤2.5×) MISS`, or '' for an informational figure. */
export function targetText(c: Check): string {
  if (c.target === undefined) return '';
  const parts: string[] = [];
  if (c.target.min !== undefined) parts.push(`≥${c.target.min}${c.unit}`);
  if (c.target.max !== undefined) parts.push(`≤${c.target.max}${c.unit}`);
  return `(target ${parts.join(', ')}) ${c.verdict}`;
}

/** `12.3×` or `2.10µs`. */
export function valueText(c: Check): string {
  return `${sig(c.value)}${c.unit}`;
}

function pad(cells: readonly string[], widths: readonly number[], right: ReadonlySet<number>): string {
  return cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
}

/** The operations table, aligned for a terminal. */
export function formatTable(figures: readonly FigureResult[]): string[] {
  const header = ['figure', 'operation', 'role', 'p50', 'mean', 'ops/s', 'samples'];
  const body = figures.flatMap((f) =>
    f.rows.map((r) => [r.figure, r.operation, r.role, `${sig(r.p50)}${r.unit}`, `${sig(r.mean)}${r.unit}`, grouped(r.opsPerSec), grouped(r.samples)]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const right = new Set([3, 4, 5, 6]);
  return [pad(header, widths, right), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map((row) => pad(row, widths, right))];
}

/** The checks table: every target with its measured value and verdict. */
export function formatChecks(figures: readonly FigureResult[]): string[] {
  return figures.flatMap((f) => f.checks.map((c) => `  [${c.verdict}] ${f.id}: ${c.name} = ${valueText(c)} ${targetText(c)}`.trimEnd()));
}
