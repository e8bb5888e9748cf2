/**
 * Minting a signed approval token (gate.md §A9.3). The CLI (`gait approve`, §A12.4) parses `--ttl`
 * and `--scope` with its own messages (`invalid --ttl, expected positive duration`, `scope is
 * required`); the checks here are the minting ones, with Gait v1's texts.
 */
import { signRecord } from '../../crypto/envelope.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import { addNanos, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { isHex64, loweredList, lowerSimple, trimSpec } from '../../schema/v1/text.js';
import { approvalTokenId, toApprovalTokenRecord } from './token.js';
import { APPROVAL_TOKEN_SCHEMA_ID, APPROVAL_TOKEN_SCHEMA_VERSION } from './types.js';
import type { ApprovalToken } from './types.js';

const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';

export interface MintApprovalTokenInput {
  readonly intentDigest: string;
  readonly policyDigest: string;
  /** '' or absent: the token carries no delegation binding */
  readonly delegationBindingDigest?: string;
  /** time to live in nanoseconds (as `parseDuration` returns it); must be > 0 */
  readonly ttlNanos: number;
  /** lowered into a normalized list; must keep at least one item */
  readonly scope: readonly string[];
  readonly approverIdentity: string;
  /** free text */
  readonly reasonCode: string;
  /** 0 (default) = unbounded */
  readonly maxTargets?: number;
  readonly maxOps?: number;
  /** '' becomes `0.0.0-dev` */
  readonly producerVersion: string;
  /** the wall clock at minting (from a `Clock`); stored in UTC */
  readonly createdAt: Timestamp;
}

export interface MintedApprovalToken {
  /** the normalized token, with its signature */
  readonly token: ApprovalToken;
  /** the signed v1 record, as written to `approval_<token_id>.json` */
  readonly record: JsonObject;
}

function usage(message: string): GaitError {
  return new GaitError('input_usage', message);
}

function hex64(value: string, message: string, optional: boolean): string {
  const normalized = lowerSimple(trimSpec(value));
  if ((optional && normalized === '') || isHex64(normalized)) return normalized;
  throw usage(message);
}

function count(value: number | undefined, name: string): number {
  const n = value ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) throw usage(`${name} must be >= 0`);
  return n;
}

function required(value: string, message: string): string {
  const trimmed = trimSpec(value);
  if (trimmed === '') throw usage(message);
  return trimmed;
}

/** The unsigned normalized token of `input` (gate.md §A9.3 checks, in Gait v1's order). */
function tokenOf(input: MintApprovalTokenInput): ApprovalToken {
  if (!Number.isFinite(input.ttlNanos) || input.ttlNanos <= 0) throw usage('ttl must be greater than 0');
  const intentDigest = hex64(input.intentDigest, 'intent_digest must be sha256 hex', false);
  const policyDigest = hex64(input.policyDigest, 'policy_digest must be sha256 hex', false);
  const delegationBindingDigest = hex64(
    input.delegationBindingDigest ?? '',
    'delegation_binding_digest must be sha256 hex when set',
    true,
  );
  const approverIdentity = required(input.approverIdentity, 'approver identity is required');
  const reasonCode = required(input.reasonCode, 'reason code is required');
  const scope = loweredList(input.scope);
  if (scope.length === 0) throw usage('scope must include at least one value');
  const maxTargets = count(input.maxTargets, 'max_targets');
  const maxOps = count(input.maxOps, 'max_ops');
  if (isZeroTime(input.createdAt)) throw usage('created_at is required');
  const createdAt = toUtc(input.createdAt);
  const expiresAt = addNanos(createdAt, Math.trunc(input.ttlNanos));
  const fields = { intentDigest, policyDigest, approverIdentity, reasonCode, scope, maxTargets, maxOps, expiresAt };
  return {
    schemaId: APPROVAL_TOKEN_SCHEMA_ID,
    schemaVersion: APPROVAL_TOKEN_SCHEMA_VERSION,
    createdAt,
    producerVersion: trimSpec(input.producerVersion) || DEFAULT_PRODUCER_VERSION,
    tokenId: approvalTokenId(fields),
    ...fields,
    delegationBindingDigest,
    signature: undefined,
  };
}

/**
 * Mints a signed approval token (gate.md §A9.3): checks the input, sets `expires_at` = `created_at`
 * + ttl, computes `token_id` (§A9.2) and signs the normalized token (§A8).
 * @throws GaitError `input_usage`: `ttl must be greater than 0`, `intent_digest must be sha256 hex`,
 *   `policy_digest must be sha256 hex`, `delegation_binding_digest must be sha256 hex when set`,
 *   `approver identity is required`, `reason code is required`, `scope must include at least one
 *   value`, `max_targets must be >= 0`, `max_ops must be >= 0`, `created_at is required`
 * @example
 *   const { record } = mintApprovalToken({ ...input, ttlNanos: parseDuration('1h'), createdAt: clock.now() }, key);
 */
export function mintApprovalToken(input: MintApprovalTokenInput, key: SigningKey): MintedApprovalToken {
  const unsigned = tokenOf(input);
  const signature = signRecord(toApprovalTokenRecord(unsigned), key);
  const token: ApprovalToken = { ...unsigned, signature };
  return { token, record: toApprovalTokenRecord(token) };
}
