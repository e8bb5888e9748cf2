/**
 * Inputs and reports of the approval audit record (`gait.gate.approval_audit_record`, gate.md §A10).
 */
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { ApprovalEntry } from './types.js';

/** Everything `buildApprovalAuditRecord` needs. */
export interface ApprovalAuditInput {
  /** GateResult `created_at` (prepared intent `created_at`); stored in UTC, unset → 1980-01-01T00:00:00Z */
  readonly createdAt: Timestamp;
  /** CLI version; '' becomes `0.0.0-dev` */
  readonly producerVersion: string;
  /** the id the trace of this evaluation carries */
  readonly traceId: string;
  readonly toolName: string;
  readonly intentDigest: string;
  readonly policyDigest: string;
  /** outcome `min_approvals`, already raised to ≥ 1 when approvals ran (§A9.6); negative becomes 0 */
  readonly requiredApprovals: number;
  /** one per evaluated token, in any order */
  readonly entries: readonly ApprovalEntry[];
}

export type ApprovalAuditCheckName = 'schema' | 'signature';

export interface ApprovalAuditCheck {
  readonly name: ApprovalAuditCheckName;
  readonly ok: boolean;
  readonly detail?: string;
}

/** The outcome of `verifyApprovalAuditRecord`: a value, never an exception (STYLE.md §4). */
export interface ApprovalAuditVerifyReport {
  readonly ok: boolean;
  /** the record's `trace_id`, '' when it has none */
  readonly traceId: string;
  /** the record's `signature.key_id`, else the verify key's id */
  readonly keyId: string;
  readonly signatureStatus: 'verified' | 'failed';
  /** checks run, in order (`schema`, then `signature`) */
  readonly checks: readonly ApprovalAuditCheck[];
  /** '' when ok; otherwise the first failure (schema message or §A8 text) */
  readonly error: string;
}
