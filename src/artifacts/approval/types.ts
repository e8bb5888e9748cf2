/**
 * Approval tokens (gate.md §A9), the approval audit record (§A10) and the single-use ledger port
 * (§A9.7, D4): the shared types. The token logic is pure; the ledger is a port implemented in
 * `storage/` (SQLite by default) and injected into the gate pipeline.
 */
import type { Timestamp } from '../../runtime/timestamp-type.js';

export const APPROVAL_TOKEN_SCHEMA_ID = 'gait.gate.approval_token';
export const APPROVAL_TOKEN_SCHEMA_VERSION = '1.0.0';
export const APPROVAL_AUDIT_SCHEMA_ID = 'gait.gate.approval_audit_record';
export const APPROVAL_AUDIT_SCHEMA_VERSION = '1.0.0';

/**
 * A token's `signature` member as decoded (§A1.4): every member a string as written (absent → '').
 * §A8 verification checks the values, so `alg` is any string here, not only `ed25519`; a
 * `SignatureEnvelope` from `signRecord` is one of these.
 */
export interface DecodedSignatureEnvelope {
  readonly alg: string;
  readonly key_id: string;
  readonly sig: string;
  readonly signed_digest: string;
}

/** A normalized approval token (§A9.1, §A9.5 step 1). */
export interface ApprovalToken {
  readonly schemaId: string;
  readonly schemaVersion: string;
  /** as written, offset kept (re-rendered with it when verifying, §A2, §A8 step 2) */
  readonly createdAt: Timestamp;
  /** as written (not trimmed or defaulted when decoded; minting defaults it to `0.0.0-dev`) */
  readonly producerVersion: string;
  readonly tokenId: string;
  readonly approverIdentity: string;
  readonly reasonCode: string;
  readonly intentDigest: string;
  readonly policyDigest: string;
  /** '' when unset */
  readonly delegationBindingDigest: string;
  /** lowered list, ≥ 1 item */
  readonly scope: readonly string[];
  /** 0 = unbounded */
  readonly maxTargets: number;
  readonly maxOps: number;
  /** as written, offset kept */
  readonly expiresAt: Timestamp;
  /** as decoded; undefined when absent or null (§A9.5 step 2 `approval_token_signature_missing`) */
  readonly signature: DecodedSignatureEnvelope | undefined;
}

/** What `gate eval` expects a token to be bound to (§A9.4), from the prepared intent. */
export interface ApprovalExpectation {
  readonly intentDigest: string;
  readonly policyDigest: string;
  /** delegation digest of the prepared intent, '' without delegation */
  readonly delegationBinding: string;
  /** lowered list: `tool:<tool_name>`, plus `phase:apply` and `destructive:apply` when applicable */
  readonly requiredScope: readonly string[];
  readonly targetCount: number;
  readonly opCount: number;
}

/** Token error codes in §A9.5 order, plus the D4 extensions. */
export type ApprovalTokenCode =
  | 'approval_token_invalid'
  | 'approval_token_signature_missing'
  | 'approval_token_signature_invalid'
  | 'approval_token_intent_mismatch'
  | 'approval_token_policy_mismatch'
  | 'approval_token_delegation_binding_mismatch'
  | 'approval_token_expired'
  | 'approval_token_scope_mismatch'
  | 'approval_token_max_targets_exceeded'
  | 'approval_token_max_ops_exceeded'
  | 'approval_token_replayed'
  | 'approval_ledger_unavailable';

/** One evaluated token: an audit-record entry (§A10) plus the token when it normalized. */
export interface ApprovalEntry {
  /** '' when the token did not normalize far enough to have one */
  readonly tokenId: string;
  readonly approverIdentity: string;
  readonly reasonCode: string;
  readonly scope: readonly string[];
  /** zero time when unknown */
  readonly expiresAt: Timestamp;
  readonly valid: boolean;
  /** '' when valid */
  readonly errorCode: ApprovalTokenCode | '';
}

/** One consumed token (§A9.7). */
export interface ConsumptionRow {
  readonly tokenId: string;
  readonly intentDigest: string;
  readonly policyDigest: string;
  /** the id the allow trace carries */
  readonly traceId: string;
  /** canonical UTC timestamp (§A2) */
  readonly consumedAt: string;
}

export interface ConsumeOutcome {
  /** token ids of `rows` that were already in the ledger */
  readonly replayed: readonly string[];
  /** whether the non-replayed rows were inserted */
  readonly inserted: boolean;
}

/**
 * The single-use consumption ledger (D4). Implementations: `storage/ledger/*`.
 * INVARIANT: `consume` is one atomic transaction across processes sharing the store: the replay
 * check, the `accept` decision and the insertion of every non-replayed row happen together, so a
 * token is consumed at most once, and tokens are never burned when the approval is not granted.
 */
export interface ApprovalLedger {
  /**
   * Finds which rows are already consumed, asks `accept(replayed)` whether the approval is still
   * granted without them, and if so inserts every non-replayed row.
   * @throws GaitError `storage_*` when the store cannot be opened, read or written (the gate then
   *   reports `approval_ledger_unavailable` and stays at require_approval)
   */
  consume(rows: readonly ConsumptionRow[], accept: (replayed: ReadonlySet<string>) => boolean): ConsumeOutcome;
  /** Every consumed row, ordered by `consumed_at`, then `token_id`. */
  list(): readonly ConsumptionRow[];
}
