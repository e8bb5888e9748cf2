/**
 * Exit codes are API (gate.md §A13, STYLE.md §4). Decisions and errors have separate mappings so no
 * decision ever travels as an error.
 */
import type { ErrorCategory } from '../../errors/codes.js';
import type { Verdict } from '../../policy/model.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  verificationFailed: 2,
  blocked: 3,
  approvalRequired: 4,
  regressFailed: 5,
  invalidInput: 6,
  dependencyMissing: 7,
  unsafeOperation: 8,
} as const;

/** Exit code for an error category. */
export function exitCodeForCategory(category: ErrorCategory): number {
  switch (category) {
    case 'invalid_input':
      return EXIT.invalidInput;
    case 'verification_failed':
      return EXIT.verificationFailed;
    case 'internal_failure':
    case 'io_failure':
    case 'state_contention':
    case 'network_transient':
    case 'network_permanent':
      return EXIT.internal;
    case 'dependency_missing':
      return EXIT.dependencyMissing;
    case 'unsafe_blocked':
      return EXIT.unsafeOperation;
    default: {
      const never: never = category;
      return never;
    }
  }
}

/** Exit code for a final verdict: block 3, require_approval 4, allow and dry_run 0. */
export function exitCodeForVerdict(verdict: Verdict): number {
  switch (verdict) {
    case 'allow':
    case 'dry_run':
      return EXIT.ok;
    case 'block':
      return EXIT.blocked;
    case 'require_approval':
      return EXIT.approvalRequired;
    default: {
      // INVARIANT: unreachable; an unknown verdict is treated as the most restrictive (D1).
      const unknownVerdict: never = verdict;
      void unknownVerdict;
      return EXIT.blocked;
    }
  }
}

interface EnvelopeDefaults {
  readonly error_code: string;
  readonly error_category: string;
  readonly hint: string;
}

const ENVELOPE_BY_EXIT: Readonly<Record<number, EnvelopeDefaults>> = {
  1: { error_code: 'internal_failure', error_category: 'internal_failure', hint: 'retry after checking local environment and logs' },
  2: { error_code: 'verification_failed', error_category: 'verification_failed', hint: 're-run verify after checking artifact integrity' },
  3: { error_code: 'policy_blocked', error_category: 'policy_blocked', hint: 'inspect reason_codes and adjust policy or intent' },
  4: { error_code: 'approval_required', error_category: 'approval_required', hint: 'provide a valid approval token and retry' },
  5: { error_code: 'regress_failed', error_category: 'internal_failure', hint: 'retry after checking local environment and logs' },
  6: { error_code: 'invalid_input', error_category: 'invalid_input', hint: 'check command usage and input schema' },
  7: { error_code: 'dependency_missing', error_category: 'dependency_missing', hint: 'install or configure the missing dependency and retry' },
  8: { error_code: 'unsafe_operation', error_category: 'internal_failure', hint: 'pass explicit unsafe flags only for approved replay paths' },
};

/** The §A13 envelope members for an exit code (exit 0 has none). */
export function envelopeDefaults(exitCode: number): EnvelopeDefaults {
  return ENVELOPE_BY_EXIT[exitCode] ?? (ENVELOPE_BY_EXIT[1] as EnvelopeDefaults);
}
