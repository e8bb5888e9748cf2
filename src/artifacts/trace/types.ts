/**
 * Inputs and reports of the signed TraceRecord (`gait.gate.trace`, gate.md §A7, §A12.5).
 */
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { Verdict } from '../../policy/model.js';
import type { Intent } from '../../schema/v1/intent-types.js';

/** Everything `buildTraceRecord` needs; the record itself never carries reason codes (D9). */
export interface TraceInput {
  /** The prepared intent (§A3.6). */
  readonly intent: Intent;
  /** The final verdict (after approvals, delegation, rate limits, kill switch; never a simulated one, D8). */
  readonly verdict: Verdict;
  /** Final violations; sorted and de-duplicated by the builder. */
  readonly violations: readonly string[];
  /** Final reason codes: only those starting `delegation_` reach the record (`delegation_ref.reason_codes`). */
  readonly reasonCodes: readonly string[];
  readonly policyDigest: string;
  /** Digest of the prepared intent. */
  readonly intentDigest: string;
  readonly argsDigest: string;
  /** CLI version; '' becomes `0.0.0-dev`. */
  readonly producerVersion: string;
  /** Wall clock at emission; zero time when unknown. */
  readonly observedAt: Timestamp;
  readonly correlationId: string;
  /** Evaluation wall time in ms; negative becomes 0. */
  readonly latencyMs: number;
  /** Sorted valid approval token ids comma-joined when granted, else `--approval-token-ref`. */
  readonly approvalTokenRef?: string;
  /**
   * Outcome `matched_rule`. Reserved for script traces (`matched_rule_ids`, §B1 step 5); a Part A
   * (single-intent) trace records no rule ids, as in Gait v1.
   */
  readonly matchedRule?: string;
  /** Outcome `context_source` (§B2, §B3). */
  readonly contextSource?: string;
  /** Valid delegation token ids comma-joined (§B5); else the first `token_refs` entry is used. */
  readonly delegationTokenRef?: string;
}

export type TraceCheckName = 'schema' | 'signature';

export interface TraceCheck {
  readonly name: TraceCheckName;
  readonly ok: boolean;
  readonly detail?: string;
}

/** The outcome of `verifyTrace`: a value, never an exception (STYLE.md §4). */
export interface TraceVerifyReport {
  readonly ok: boolean;
  /** The record's `trace_id`, '' when it has none. */
  readonly traceId: string;
  /** The record's `verdict`, '' when it has none. */
  readonly verdict: string;
  /** The record's `signature.key_id`, else the verify key's id. */
  readonly keyId: string;
  readonly signatureStatus: 'verified' | 'failed';
  /** Checks run, in order (`schema`, then `signature`). */
  readonly checks: readonly TraceCheck[];
  /** '' when ok; otherwise the first failure (§A12.5 / §A8 messages). */
  readonly error: string;
}
