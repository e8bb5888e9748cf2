/**
 * Logic shared by every approval-ledger implementation (gate.md §A9.7, D4): the consumption plan
 * (which rows are replays, which are new) and the `list()` order. Keeping it in one place makes the
 * memory, SQLite and JSON-file ledgers agree row for row.
 */
import type { ConsumeOutcome, ConsumptionRow } from '../../artifacts/approval/types.js';
import { compareTimestamps, parseTimestamp } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';

/** What one `consume` call will do, before `accept` has been asked. */
export interface ConsumptionPlan {
  /** token ids already in the ledger, in `rows` order, without duplicates */
  readonly replayed: readonly string[];
  /** rows to insert when accepted: not replayed, first occurrence of each token id */
  readonly fresh: readonly ConsumptionRow[];
}

/**
 * Splits `rows` into replays and new rows. A token id that appears twice in `rows` is inserted once
 * (the first row wins), so one call never fails on its own duplicate.
 */
export function planConsumption(rows: readonly ConsumptionRow[], isConsumed: (tokenId: string) => boolean): ConsumptionPlan {
  const seen = new Set<string>();
  const replayed: string[] = [];
  const fresh: ConsumptionRow[] = [];
  for (const row of rows) {
    if (seen.has(row.tokenId)) continue;
    seen.add(row.tokenId);
    if (isConsumed(row.tokenId)) replayed.push(row.tokenId);
    else fresh.push(row);
  }
  return { replayed, fresh };
}

/**
 * Runs the decision step of `consume`: asks `accept` and, when it grants, calls `insert` with the
 * new rows. `accept` and `insert` may throw; nothing is reported as inserted then.
 */
export function decideConsumption(
  plan: ConsumptionPlan,
  accept: (replayed: ReadonlySet<string>) => boolean,
  insert: (fresh: readonly ConsumptionRow[]) => void,
): ConsumeOutcome {
  const granted = accept(new Set(plan.replayed));
  if (granted && plan.fresh.length > 0) insert(plan.fresh);
  return { replayed: plan.replayed, inserted: granted };
}

function instantOf(text: string): Timestamp | undefined {
  try {
    return parseTimestamp(text);
  } catch {
    return undefined;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `list()` order: `consumed_at` as an instant (canonical §A2 text does not sort as text:
 * `…00Z` is earlier than `…00.5Z`), then `token_id`. Unparsable times sort after parsable ones, as text.
 */
export function sortRows(rows: readonly ConsumptionRow[]): ConsumptionRow[] {
  const keyed = rows.map((row) => ({ row, at: instantOf(row.consumedAt) }));
  keyed.sort((x, y) => {
    let c = 0;
    if (x.at !== undefined && y.at !== undefined) c = compareTimestamps(x.at, y.at);
    else if (x.at !== undefined) c = -1;
    else if (y.at !== undefined) c = 1;
    if (c === 0) c = compareText(x.row.consumedAt, y.row.consumedAt);
    return c === 0 ? compareText(x.row.tokenId, y.row.tokenId) : c;
  });
  return keyed.map((k) => k.row);
}

/** A plain copy of a row, so callers never share mutable state with the store. */
export function copyRow(row: ConsumptionRow): ConsumptionRow {
  return {
    tokenId: row.tokenId,
    intentDigest: row.intentDigest,
    policyDigest: row.policyDigest,
    traceId: row.traceId,
    consumedAt: row.consumedAt,
  };
}
