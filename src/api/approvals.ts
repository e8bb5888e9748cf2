/**
 * `mintApproval` and `verifyApproval`: approval tokens in-process (gate.md §A9). A token is bound to
 * one intent digest and one policy digest; `gateEval` consumes it once through an injected ledger.
 */
import { mintApprovalToken } from '../artifacts/approval/mint.js';
import { checkApprovalToken, expectedApprovalBindings } from '../artifacts/approval/verify-token.js';
import type { ApprovalEntry } from '../artifacts/approval/types.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import { verifyKeyOf } from '../crypto/keys.js';
import { GaitError } from '../errors/error.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { parseDuration } from '../runtime/duration.js';
import { compareTimestamps } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import { GAIT_VERSION } from '../runtime/version.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import { evaluate } from './evaluate.js';
import { resolveInstant } from './time.js';
import type { InstantInput } from './time.js';

export interface MintApprovalInput {
  /** the `intent_digest` being approved (from `evaluate` / `gateEval` / `gate eval --json`) */
  readonly intentDigest: string;
  readonly policyDigest: string;
  /** Go duration text (`30m`, `1h30m`) or seconds; must be > 0 */
  readonly ttl: string | number;
  /** e.g. `['tool:tool.write']`; destructive apply-phase calls also need `phase:apply`, `destructive:apply` */
  readonly scope: readonly string[];
  readonly approver: string;
  readonly reasonCode: string;
  readonly maxTargets?: number;
  readonly maxOps?: number;
  readonly delegationBindingDigest?: string;
}

export interface MintedApproval {
  readonly tokenId: string;
  /** the signed token; write it as `JSON.stringify(token, null, 2) + '\n'` */
  readonly token: JsonObject;
}

function ttlNanos(ttl: string | number): number {
  if (typeof ttl === 'number') {
    if (!Number.isFinite(ttl) || ttl <= 0) throw new GaitError('input_usage', 'ttl must be greater than 0');
    return ttl * 1e9;
  }
  return parseDuration(ttl.trim());
}

/**
 * Mints a signed approval token (gate.md §A9.3).
 * @param input digests, ttl, scope, approver and reason
 * @param signingKey the approver's key (the gate verifies with its public half)
 * @param options `clock` for `created_at` (default: the system clock); `producerVersion` (default this package's)
 * @returns the token id and the signed token record
 * @throws GaitError `input_usage` (`ttl must be greater than 0`, `intent_digest must be sha256 hex`,
 *   `scope must include at least one value`, `approver identity is required`, …)
 * @example const { token } = mintApproval({ intentDigest, policyDigest, ttl: '1h', scope: ['tool:tool.write'], approver: 'alice', reasonCode: 'CHG-1' }, key);
 */
export function mintApproval(
  input: MintApprovalInput,
  signingKey: SigningKey,
  options: { readonly clock?: Clock; readonly producerVersion?: string } = {},
): MintedApproval {
  const { token, record } = mintApprovalToken(
    {
      intentDigest: input.intentDigest,
      policyDigest: input.policyDigest,
      ttlNanos: ttlNanos(input.ttl),
      scope: input.scope,
      approverIdentity: input.approver,
      reasonCode: input.reasonCode,
      producerVersion: options.producerVersion ?? GAIT_VERSION,
      createdAt: (options.clock ?? systemClock).now(),
      ...(input.maxTargets === undefined ? {} : { maxTargets: input.maxTargets }),
      ...(input.maxOps === undefined ? {} : { maxOps: input.maxOps }),
      ...(input.delegationBindingDigest === undefined ? {} : { delegationBindingDigest: input.delegationBindingDigest }),
    },
    signingKey,
  );
  return { tokenId: token.tokenId, token: record };
}

export interface VerifyApprovalOptions {
  /** with `intent`: check the bindings against this evaluation (§A9.4) */
  readonly policy?: CompiledPolicy;
  /** the raw or parsed intent the token should approve */
  readonly intent?: unknown;
  /** expiry is checked against this instant (default: the system clock) */
  readonly now?: InstantInput;
}

export interface ApprovalVerification extends ApprovalEntry {
  /** why the token is invalid, in words; '' when valid */
  readonly detail: string;
}

/**
 * Checks a token (gate.md §A9.5 steps 1–10, first failure wins): with `policy` and `intent`, every
 * binding; without them, format, signature and expiry. Replay (step 11) is the ledger's and not checked.
 * @returns the audit-style entry: `valid`, `errorCode` (`approval_token_*`), `tokenId`, approver, scope
 * @throws GaitError from evaluating `intent` (invalid intent), never for a bad token
 * @example verifyApproval(JSON.parse(text), publicKey, { policy, intent }).valid;
 */
export function verifyApproval(token: unknown, key: VerifyKey | SigningKey, options: VerifyApprovalOptions = {}): ApprovalVerification {
  const verifyKey = 'privateKey' in key ? verifyKeyOf(key) : key;
  const now = resolveInstant(options.now);
  if (options.policy === undefined || options.intent === undefined) return verifyUnbound(token, verifyKey, now);
  const decision = evaluate(options.policy, options.intent, { evaluationTime: now });
  if (decision.intent === undefined) {
    throw new GaitError('input_intent', 'cannot verify an approval against an intent that could not be evaluated');
  }
  return strip(checkApprovalToken(token, expectedApprovalBindings(decision.intent, decision.policyDigest, decision.intentDigest), verifyKey, now));
}

/**
 * Format, signature and expiry without bindings: checked against an expectation no token can match,
 * a token that gets as far as the intent step (step 4) has passed normalization and its signature.
 */
function verifyUnbound(token: unknown, key: VerifyKey, now: Timestamp): ApprovalVerification {
  const check = strip(checkApprovalToken(token, UNBOUND, key, now));
  if (check.errorCode !== 'approval_token_intent_mismatch') return check;
  if (compareTimestamps(now, check.expiresAt) >= 0) return { ...check, errorCode: 'approval_token_expired', detail: 'token expired' };
  return { ...check, valid: true, errorCode: '', detail: '' };
}

const UNBOUND = {
  intentDigest: '',
  policyDigest: '',
  delegationBinding: '',
  requiredScope: [],
  targetCount: 0,
  opCount: 0,
} as const;

function strip(check: ReturnType<typeof checkApprovalToken>): ApprovalVerification {
  const { token: _token, ...rest } = check;
  return rest;
}
