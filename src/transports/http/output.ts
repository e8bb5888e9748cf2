/** HTTP statuses of evaluated decisions (mcp-and-export.md §5.7). */

/** `compat` answers 200 for every verdict; `strict` answers block 403, require_approval and dry_run 409. */
export function verdictStatus(mode: 'compat' | 'strict', verdict: string): number {
  if (mode === 'compat') return 200;
  if (verdict === 'allow') return 200;
  if (verdict === 'require_approval' || verdict === 'dry_run') return 409;
  // block, and anything unrecognised (D1: an unknown verdict is the most restrictive)
  return 403;
}
