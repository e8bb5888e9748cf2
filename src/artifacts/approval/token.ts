/**
 * Approval token normalization (gate.md §A9.5 step 1), its v1 wire form (§A9.1) and `token_id`
 * (§A9.2). Normalization returns a value: a token that does not normalize is a token error
 * (`approval_token_invalid`), not an exception.
 */
import { shortId } from '../../crypto/digest.js';
import { isGaitError } from '../../errors/error.js';
import { formatTimestamp, isZeroTime, toUtc, ZERO_TIME } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { isHex64, loweredList, lowerSimple, trimSpec } from '../../schema/v1/text.js';
import { decodeApprovalToken } from './token-decode.js';
import type { DecodedApprovalToken } from './token-decode.js';
import { APPROVAL_TOKEN_SCHEMA_ID, APPROVAL_TOKEN_SCHEMA_VERSION } from './types.js';
import type { ApprovalToken } from './types.js';

/** What an audit entry records about a token (§A10): trimmed, scope lowered, `expires_at` in UTC. */
export interface ApprovalTokenPartial {
  readonly tokenId: string;
  readonly approverIdentity: string;
  readonly reasonCode: string;
  readonly scope: readonly string[];
  /** zero time when absent or unreadable */
  readonly expiresAt: Timestamp;
}

export type ApprovalTokenNormalization =
  | { readonly ok: true; readonly token: ApprovalToken }
  | {
      readonly ok: false;
      readonly code: 'approval_token_invalid';
      /** why, e.g. `scope is required` or the decoder's message */
      readonly detail: string;
      /** as much of the token as could be read, for the audit entry */
      readonly partial: ApprovalTokenPartial;
      /**
       * true when the JSON itself does not decode (§A1.4: not an object, a member of the wrong type,
       * a timestamp that is not RFC 3339). Gait v1 refuses such a file as unparsable (exit 6, §A9.6);
       * a caller that wants that parity aborts on it instead of recording a token error.
       */
      readonly malformed: boolean;
    };

/** The fields `token_id` is computed from (§A9.2); an `ApprovalToken` has them all. */
export type ApprovalTokenIdFields = Pick<
  ApprovalToken,
  'intentDigest' | 'policyDigest' | 'approverIdentity' | 'reasonCode' | 'scope' | 'maxTargets' | 'maxOps' | 'expiresAt'
>;

/**
 * `token_id` (gate.md §A9.2): short id of
 * `<intent_digest>:<policy_digest>:<approver>:<reason_code>:<scope joined by ",">:<max_targets>:<max_ops>:<expires_at>`,
 * integers in decimal, `expires_at` in canonical UTC form.
 */
export function approvalTokenId(fields: ApprovalTokenIdFields): string {
  const expiresAt = formatTimestamp(toUtc(fields.expiresAt));
  return shortId(
    [
      fields.intentDigest,
      fields.policyDigest,
      fields.approverIdentity,
      fields.reasonCode,
      fields.scope.join(','),
      String(fields.maxTargets),
      String(fields.maxOps),
      expiresAt,
    ].join(':'),
  );
}

function lowerHex(value: string): string {
  return lowerSimple(trimSpec(value));
}

/** Schema constants: empty defaults, anything else must equal the constant (§A9.5 step 1). */
function schemaError(d: DecodedApprovalToken): string {
  if (d.schemaId !== '' && d.schemaId !== APPROVAL_TOKEN_SCHEMA_ID) return `unsupported schema_id: ${d.schemaId}`;
  if (d.schemaVersion !== '' && d.schemaVersion !== APPROVAL_TOKEN_SCHEMA_VERSION) {
    return `unsupported schema_version: ${d.schemaVersion}`;
  }
  return '';
}

/** The first §A9.5 step 1 rule `d` breaks (in Gait v1's order), '' when none. */
function ruleError(d: DecodedApprovalToken): string {
  const schema = schemaError(d);
  if (schema !== '') return schema;
  if (trimSpec(d.tokenId) === '') return 'token_id is required';
  if (trimSpec(d.approverIdentity) === '') return 'approver_identity is required';
  if (trimSpec(d.reasonCode) === '') return 'reason_code is required';
  if (!isHex64(lowerHex(d.intentDigest))) return 'intent_digest must be sha256 hex';
  if (!isHex64(lowerHex(d.policyDigest))) return 'policy_digest must be sha256 hex';
  const binding = lowerHex(d.delegationBindingDigest);
  if (binding !== '' && !isHex64(binding)) return 'delegation_binding_digest must be sha256 hex when set';
  if (loweredList(d.scope).length === 0) return 'scope is required';
  if (d.maxTargets < 0) return 'max_targets must be >= 0';
  if (d.maxOps < 0) return 'max_ops must be >= 0';
  if (d.createdAt === undefined || isZeroTime(d.createdAt)) return 'created_at is required';
  if (d.expiresAt === undefined || isZeroTime(d.expiresAt)) return 'expires_at is required';
  return '';
}

function toToken(d: DecodedApprovalToken, createdAt: Timestamp, expiresAt: Timestamp): ApprovalToken {
  return {
    schemaId: APPROVAL_TOKEN_SCHEMA_ID,
    schemaVersion: APPROVAL_TOKEN_SCHEMA_VERSION,
    createdAt,
    producerVersion: d.producerVersion,
    tokenId: trimSpec(d.tokenId),
    approverIdentity: trimSpec(d.approverIdentity),
    reasonCode: trimSpec(d.reasonCode),
    intentDigest: lowerHex(d.intentDigest),
    policyDigest: lowerHex(d.policyDigest),
    delegationBindingDigest: lowerHex(d.delegationBindingDigest),
    scope: loweredList(d.scope),
    maxTargets: d.maxTargets,
    maxOps: d.maxOps,
    expiresAt,
    signature: d.signature,
  };
}

function partialOf(fields: {
  readonly tokenId: string;
  readonly approverIdentity: string;
  readonly reasonCode: string;
  readonly scope: readonly string[];
  readonly expiresAt: Timestamp | undefined;
}): ApprovalTokenPartial {
  return {
    tokenId: trimSpec(fields.tokenId),
    approverIdentity: trimSpec(fields.approverIdentity),
    reasonCode: trimSpec(fields.reasonCode),
    scope: loweredList(fields.scope),
    expiresAt: fields.expiresAt === undefined ? ZERO_TIME : toUtc(fields.expiresAt),
  };
}

/** `read()`, or `fallback` when it throws (the member is missing or has the wrong type). */
function attempt<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Best-effort partial of a token that does not decode: each readable member, the rest empty. */
function tolerantPartial(raw: unknown): ApprovalTokenPartial {
  const reader = attempt<ObjectReader | undefined>(() => ObjectReader.of(raw, '', 'artifact_invalid'), undefined);
  if (reader === undefined) return partialOf({ tokenId: '', approverIdentity: '', reasonCode: '', scope: [], expiresAt: undefined });
  const str = (field: string): string => attempt(() => reader.string(field).toWellFormed(), '');
  return partialOf({
    tokenId: str('token_id'),
    approverIdentity: str('approver_identity'),
    reasonCode: str('reason_code'),
    scope: attempt(() => reader.stringArray('scope').map((item) => item.toWellFormed()), []),
    expiresAt: attempt(() => reader.timestamp('expires_at'), undefined),
  });
}

/** The audit-entry view of a normalized token (§A10). */
export function approvalTokenPartial(token: ApprovalToken): ApprovalTokenPartial {
  return partialOf(token);
}

/**
 * Normalizes a parsed token file (gate.md §A9.5 step 1): decode with the §A1.4 rules, default or
 * check the schema constants, trim `token_id`/`approver_identity`/`reason_code` (required), lowercase
 * the digests (hex64; the binding only when set), lower the scope (non-empty), `max_*` ≥ 0,
 * `created_at` and `expires_at` set. Timestamps keep their written offsets. Never throws.
 */
export function normalizeApprovalToken(raw: unknown): ApprovalTokenNormalization {
  let decoded: DecodedApprovalToken;
  try {
    decoded = decodeApprovalToken(raw);
  } catch (err) {
    if (!isGaitError(err)) throw err;
    return { ok: false, code: 'approval_token_invalid', detail: err.message, partial: tolerantPartial(raw), malformed: true };
  }
  const error = ruleError(decoded);
  const { createdAt, expiresAt } = decoded;
  if (error !== '' || createdAt === undefined || expiresAt === undefined) {
    return { ok: false, code: 'approval_token_invalid', detail: error, partial: partialOf(decoded), malformed: false };
  }
  return { ok: true, token: toToken(decoded, createdAt, expiresAt) };
}

/**
 * The token as a v1 record (gate.md §A9.1 member rules): always-members kept, `delegation_binding_digest`,
 * `max_targets`, `max_ops` and `signature` omitted when empty, timestamps rendered canonically with
 * their own offsets (§A2, §A8 verification step 2). Without a signature this is the signed payload.
 */
export function toApprovalTokenRecord(token: ApprovalToken): JsonObject {
  const record: JsonObject = {
    schema_id: token.schemaId,
    schema_version: token.schemaVersion,
    created_at: formatTimestamp(token.createdAt),
    producer_version: token.producerVersion,
    token_id: token.tokenId,
    approver_identity: token.approverIdentity,
    reason_code: token.reasonCode,
    intent_digest: token.intentDigest,
    policy_digest: token.policyDigest,
  };
  if (token.delegationBindingDigest !== '') record['delegation_binding_digest'] = token.delegationBindingDigest;
  record['scope'] = [...token.scope];
  if (token.maxTargets !== 0) record['max_targets'] = token.maxTargets;
  if (token.maxOps !== 0) record['max_ops'] = token.maxOps;
  record['expires_at'] = formatTimestamp(token.expiresAt);
  const signature = token.signature;
  if (signature !== undefined) {
    const envelope: JsonObject = { alg: signature.alg, key_id: signature.key_id, sig: signature.sig };
    if (signature.signed_digest !== '') envelope['signed_digest'] = signature.signed_digest;
    record['signature'] = envelope;
  }
  return record;
}
