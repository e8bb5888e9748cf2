/**
 * Verdict precedence (gate.md §A4.6, D1): allow 0 < dry_run 1 < require_approval 2 < block 3. A string
 * outside the enum ranks like `block`, so an unrecognized decision can never open the gate.
 */
import { VERDICTS } from './model.js';
import type { Verdict } from './model.js';

export type VerdictRank = 0 | 1 | 2 | 3;

/** Verdict for each rank; rank 3 (including every unknown string) is `block`. */
const VERDICT_BY_RANK: readonly [Verdict, Verdict, Verdict, Verdict] = ['allow', 'dry_run', 'require_approval', 'block'];

const KNOWN: ReadonlySet<string> = new Set<string>(VERDICTS);

/** Type guard: `v` is one of the four wire verdicts. */
export function isVerdict(v: string): v is Verdict {
  return KNOWN.has(v);
}

function rankOfKnown(v: Verdict): VerdictRank {
  switch (v) {
    case 'allow':
      return 0;
    case 'dry_run':
      return 1;
    case 'require_approval':
      return 2;
    case 'block':
      return 3;
    default: {
      // INVARIANT: a new verdict must get a rank here (STYLE.md §8 habit 2).
      const unreachable: never = v;
      return unreachable;
    }
  }
}

/**
 * Restrictiveness rank of a verdict string (gate.md §A4.6).
 * @param v any string; unknown strings rank 3 (most restrictive, D1)
 * @returns 0 for allow, 1 dry_run, 2 require_approval, 3 block or unknown
 * @example verdictRank('dry_run') // 1
 */
export function verdictRank(v: string): VerdictRank {
  return isVerdict(v) ? rankOfKnown(v) : 3;
}

/**
 * The more restrictive of two verdicts (gate.md §A4.6). Any unknown input yields `block` (D1).
 * @example mostRestrictive('allow', 'dry_run') // 'dry_run'
 */
export function mostRestrictive(a: string, b: string): Verdict {
  const ra = verdictRank(a);
  const rb = verdictRank(b);
  return VERDICT_BY_RANK[ra >= rb ? ra : rb];
}

/** The verdict of a rank (inverse of `verdictRank` for known verdicts). */
export function verdictOfRank(rank: VerdictRank): Verdict {
  return VERDICT_BY_RANK[rank];
}
