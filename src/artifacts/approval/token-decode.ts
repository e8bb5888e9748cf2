/**
 * Decoding of an approval token file's parsed JSON into typed members (gate.md §A1.4): members map
 * case-insensitively (exact case wins, last occurrence wins), `null` is absent, unknown members are
 * ignored, lone surrogates become U+FFFD (§A1.3). Nothing is trimmed, lowered or checked for
 * presence here; that is normalization (§A9.5 step 1, `token.ts`).
 */
import { ObjectReader } from '../../schema/v1/decode.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { DecodedSignatureEnvelope } from './types.js';

/** The members of a token as written; '' / 0 / [] / undefined when absent. */
export interface DecodedApprovalToken {
  readonly schemaId: string;
  readonly schemaVersion: string;
  readonly createdAt: Timestamp | undefined;
  readonly producerVersion: string;
  readonly tokenId: string;
  readonly approverIdentity: string;
  readonly reasonCode: string;
  readonly intentDigest: string;
  readonly policyDigest: string;
  readonly delegationBindingDigest: string;
  readonly scope: readonly string[];
  readonly maxTargets: number;
  readonly maxOps: number;
  readonly expiresAt: Timestamp | undefined;
  readonly signature: DecodedSignatureEnvelope | undefined;
}

function text(reader: ObjectReader, field: string): string {
  return reader.string(field).toWellFormed();
}

function decodeSignature(reader: ObjectReader | undefined): DecodedSignatureEnvelope | undefined {
  if (reader === undefined) return undefined;
  return {
    alg: text(reader, 'alg'),
    key_id: text(reader, 'key_id'),
    sig: text(reader, 'sig'),
    signed_digest: text(reader, 'signed_digest'),
  };
}

/**
 * Decodes a parsed token file (gate.md §A1.4).
 * @throws GaitError `artifact_invalid` when `raw` is not an object, a member has the wrong JSON type,
 *   or a timestamp is not RFC 3339 (a Gait v1 decoder rejects such a file as unparsable, §A9.6)
 */
export function decodeApprovalToken(raw: unknown): DecodedApprovalToken {
  const reader = ObjectReader.of(raw, '', 'artifact_invalid', 'approval token must be a JSON object');
  return {
    schemaId: text(reader, 'schema_id'),
    schemaVersion: text(reader, 'schema_version'),
    createdAt: reader.timestamp('created_at'),
    producerVersion: text(reader, 'producer_version'),
    tokenId: text(reader, 'token_id'),
    approverIdentity: text(reader, 'approver_identity'),
    reasonCode: text(reader, 'reason_code'),
    intentDigest: text(reader, 'intent_digest'),
    policyDigest: text(reader, 'policy_digest'),
    delegationBindingDigest: text(reader, 'delegation_binding_digest'),
    scope: reader.stringArray('scope').map((item) => item.toWellFormed()),
    maxTargets: reader.integer('max_targets'),
    maxOps: reader.integer('max_ops'),
    expiresAt: reader.timestamp('expires_at'),
    signature: decodeSignature(reader.object('signature')),
  };
}
