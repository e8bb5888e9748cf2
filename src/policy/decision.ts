/**
 * The outcome of one evaluation (gate.md §A5.7) as a value. `evaluate()` always returns one; an
 * error inside one rule lands in `diagnostics` and the verdict fails closed.
 */
import type { Intent } from '../schema/v1/intent-types.js';
import type { Verdict } from './model.js';

/** The rule-level outcome (gate.md §A5.5): what the matching tier, or the default, decided. */
export interface RuleSetOutcome {
  readonly verdict: Verdict;
  /** sorted, unique */
  readonly reasonCodes: readonly string[];
  /** sorted, unique */
  readonly violations: readonly string[];
  /** names of all tier rules, sorted, comma-joined; '' on the default path */
  readonly matchedRule: string;
  readonly minApprovals: number;
  readonly requireDistinctApprovers: boolean;
  readonly requireBrokerCredential: boolean;
  readonly requireDelegation: boolean;
  readonly requiredDelegationScopes: readonly string[];
  readonly brokerReference: string;
  readonly brokerScopes: readonly string[];
}

export interface Decision extends RuleSetOutcome {
  /** the prepared intent (§A3.6); undefined only when the intent could not be prepared */
  readonly intent: Intent | undefined;
  /** digest of the prepared intent; '' when it could not be prepared */
  readonly intentDigest: string;
  readonly policyDigest: string;
  /**
   * outcome `context_source` (gate.md §A5.7, §B2): `context_envelope` when a context envelope was
   * bound to the prepared intent, else ''
   */
  readonly contextSource: string;
  /** human-readable notes on anything that forced a fail-closed outcome */
  readonly diagnostics: readonly string[];
}
