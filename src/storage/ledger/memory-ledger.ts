/**
 * In-process approval ledger (gate.md §A9.7, D4) for tests and library callers that keep state in
 * memory. Same semantics as the SQLite ledger; `consume` is atomic because it never yields.
 */
import type { ApprovalLedger, ConsumptionRow } from '../../artifacts/approval/types.js';
import { copyRow, decideConsumption, planConsumption, sortRows } from './ledger-rows.js';

/** @returns an empty ledger; `close()` is a no-op kept for symmetry with the durable ledgers. */
export function createMemoryLedger(): ApprovalLedger & { close(): void } {
  const rows = new Map<string, ConsumptionRow>();
  return {
    consume(input, accept) {
      const plan = planConsumption(input, (id) => rows.has(id));
      return decideConsumption(plan, accept, (fresh) => {
        for (const row of fresh) rows.set(row.tokenId, copyRow(row));
      });
    },
    list() {
      return sortRows([...rows.values()].map(copyRow));
    },
    close() {
      // nothing to release
    },
  };
}
