/**
 * The approval step of `gate eval` (gate.md §A9.6) with single-use consumption (§A9.7, D4): checks
 * every presented token against the expected bindings, counts valid approvals, and consumes them in
 * the ledger in one atomic transaction. Pure apart from the injected ledger port; every outcome is a
 * value. A ledger that cannot be opened or written keeps the verdict at require_approval.
 */
import type { VerifyKey } from '../../crypto/keys.js';
import { isGaitError } from '../../errors/error.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { checkApprovalToken } from '../approval/verify-token.js';
import type { ApprovalEntry, ApprovalExpectation, ApprovalLedger, ApprovalTokenCode, ConsumptionRow } from '../approval/types.js';
import * as GRC from './gate-reason-codes.js';
import { sortedUnion } from './sorted.js';

/** One presented token: where it came from (for messages) and its parsed JSON. */
export interface PresentedToken {
  readonly source: string;
  readonly raw: unknown;
}

export interface ApprovalStepInput {
  /** tokens in `--approval-token` + `--approval-token-chain` order (sorted, de-duplicated by path) */
  readonly tokens: readonly PresentedToken[];
  /** undefined: no verify key configured (every token fails `approval_token_signature_invalid`) */
  readonly verifyKey: VerifyKey | undefined;
  /** opens the single-use ledger on first use; may throw (ledger unavailable) */
  readonly openLedger: () => ApprovalLedger;
}

export interface ApprovalStepContext {
  readonly expectation: ApprovalExpectation;
  readonly minApprovals: number;
  readonly requireDistinctApprovers: boolean;
  readonly reuse: 'single_use' | 'within_ttl';
  /** wall clock: token expiry and `consumed_at` */
  readonly now: Timestamp;
  readonly consumedAt: string;
  /** the trace id of an `allow` outcome (what a consumed row records) */
  readonly allowTraceId: string;
}

export interface ApprovalStepResult {
  readonly granted: boolean;
  readonly addedReasons: readonly string[];
  readonly addedViolations: readonly string[];
  readonly requiredApprovals: number;
  readonly validApprovals: number;
  /** sorted valid token ids, comma-joined, when granted */
  readonly approvalRef: string;
  readonly entries: readonly ApprovalEntry[];
}

interface Tally {
  readonly entries: ApprovalEntry[];
  readonly reasons: string[];
}

function invalidate(entry: ApprovalEntry, code: ApprovalTokenCode): ApprovalEntry {
  return { ...entry, valid: false, errorCode: code };
}

/** Checks every token; a second copy of a token id in one evaluation counts as a replay. */
function checkAll(input: ApprovalStepInput, ctx: ApprovalStepContext): ApprovalEntry[] {
  const seen = new Set<string>();
  return input.tokens.map((presented) => {
    const { token: _token, detail: _detail, ...entry } = checkApprovalToken(presented.raw, ctx.expectation, input.verifyKey, ctx.now);
    if (!entry.valid) return entry;
    if (seen.has(entry.tokenId)) return invalidate(entry, 'approval_token_replayed');
    seen.add(entry.tokenId);
    return entry;
  });
}

/** Why `valid` does not grant the approval, or undefined when it does (§A9.6). */
function shortfall(valid: readonly ApprovalEntry[], required: number, distinct: boolean): string | undefined {
  if (valid.length < required) return GRC.APPROVAL_CHAIN_INSUFFICIENT;
  const approvers = new Set(valid.map((e) => e.approverIdentity));
  if (distinct && required > 1 && approvers.size < required) return GRC.APPROVAL_DISTINCT_APPROVERS_REQUIRED;
  return undefined;
}

function rowsOf(valid: readonly ApprovalEntry[], ctx: ApprovalStepContext): ConsumptionRow[] {
  return valid.map((e) => ({
    tokenId: e.tokenId,
    intentDigest: ctx.expectation.intentDigest,
    policyDigest: ctx.expectation.policyDigest,
    traceId: ctx.allowTraceId,
    consumedAt: ctx.consumedAt,
  }));
}

/** §A9.7: consume atomically; replayed tokens and an unavailable ledger turn entries invalid. */
function consume(entries: ApprovalEntry[], input: ApprovalStepInput, ctx: ApprovalStepContext, required: number): Tally {
  const valid = entries.filter((e) => e.valid);
  try {
    const ledger = input.openLedger();
    const outcome = ledger.consume(rowsOf(valid, ctx), (replayed) =>
      shortfall(valid.filter((e) => !replayed.has(e.tokenId)), required, ctx.requireDistinctApprovers) === undefined,
    );
    const replayed = new Set(outcome.replayed);
    const after = entries.map((e) => (e.valid && replayed.has(e.tokenId) ? invalidate(e, 'approval_token_replayed') : e));
    return { entries: after, reasons: replayed.size > 0 ? [GRC.APPROVAL_TOKEN_REPLAYED] : [] };
  } catch (err) {
    // INVARIANT: only storage failures mean "ledger unavailable"; anything else is a bug and propagates.
    if (!isGaitError(err)) throw err;
    const after = entries.map((e) => (e.valid ? invalidate(e, 'approval_ledger_unavailable') : e));
    return { entries: after, reasons: valid.length > 0 ? [GRC.APPROVAL_LEDGER_UNAVAILABLE] : [] };
  }
}

function result(entries: readonly ApprovalEntry[], required: number, reasons: readonly string[], denial: string | undefined): ApprovalStepResult {
  const valid = entries.filter((e) => e.valid);
  const granted = denial === undefined;
  return {
    granted,
    addedReasons: sortedUnion(reasons, [granted ? GRC.APPROVAL_GRANTED : denial]),
    addedViolations: granted ? [] : [GRC.APPROVAL_NOT_GRANTED],
    requiredApprovals: required,
    validApprovals: valid.length,
    approvalRef: granted ? valid.map((e) => e.tokenId).sort().join(',') : '',
    entries,
  };
}

/**
 * Runs the approval step for a `require_approval` outcome.
 * @returns whether the approval is granted, the reasons and violations to add, counts and audit entries
 * @throws only for a broken invariant (a non-GaitError from the ledger)
 */
export function runApprovalStep(input: ApprovalStepInput, ctx: ApprovalStepContext): ApprovalStepResult {
  const required = Math.max(ctx.minApprovals, 1);
  if (input.tokens.length === 0) return result([], required, [], GRC.APPROVAL_TOKEN_MISSING);
  const checked = checkAll(input, ctx);
  const invalidCodes = checked.filter((e) => !e.valid).map((e) => e.errorCode);
  const before = shortfall(checked.filter((e) => e.valid), required, ctx.requireDistinctApprovers);
  if (before !== undefined || ctx.reuse === 'within_ttl') return result(checked, required, invalidCodes, before);
  const consumed = consume(checked, input, ctx, required);
  const after = shortfall(consumed.entries.filter((e) => e.valid), required, ctx.requireDistinctApprovers);
  return result(consumed.entries, required, [...invalidCodes, ...consumed.reasons], after);
}
