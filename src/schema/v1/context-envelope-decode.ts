/**
 * Strict decoding of a context envelope (gate.md §B2 "Input"): unlike intents (§A1.4), members that
 * map to no field are rejected. Normalization is in `context-envelope.ts`.
 */
import { GaitError } from '../../errors/error.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { foldMemberName, isJsonObject, ObjectReader } from './decode.js';
import { setMember } from './free-object.js';
import type { JsonObject, JsonValue } from './json-types.js';

function decodeError(message: string, path: string): GaitError {
  return new GaitError('artifact_invalid', message, path === '' ? {} : { details: { path } });
}

const ENVELOPE_MEMBERS: ReadonlySet<string> = new Set([
  'schema_id',
  'schema_version',
  'created_at',
  'producer_version',
  'context_set_id',
  'context_set_digest',
  'evidence_mode',
  'records',
]);

const RECORD_MEMBERS: ReadonlySet<string> = new Set([
  'ref_id',
  'source_type',
  'source_locator',
  'query_digest',
  'content_digest',
  'retrieved_at',
  'redaction_mode',
  'immutability',
  'sensitivity_label',
  'freshness_sla_seconds',
  'retrieval_params',
]);

export interface DecodedRecord {
  readonly path: string;
  readonly refId: string;
  readonly sourceType: string;
  readonly sourceLocator: string;
  readonly queryDigest: string;
  readonly contentDigest: string;
  readonly retrievedAt: Timestamp | undefined;
  readonly redactionMode: string;
  readonly immutability: string;
  readonly sensitivityLabel: string;
  readonly freshnessSlaSeconds: number;
  readonly retrievalParams: JsonObject | undefined;
}

export interface DecodedEnvelope {
  readonly schemaId: string;
  readonly schemaVersion: string;
  readonly createdAt: Timestamp | undefined;
  readonly producerVersion: string;
  readonly contextSetId: string;
  readonly contextSetDigest: string;
  readonly evidenceMode: string;
  readonly records: readonly DecodedRecord[];
}

/** Members map case-insensitively (§A1.4); a member that maps to no field is an error (§B2). */
function rejectUnknownMembers(value: JsonObject, known: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(foldMemberName(key))) {
      const where = path === '' ? key : `${path}.${key}`;
      throw decodeError(`unknown member \`${where}\``, where);
    }
  }
}

// ADR 0005: strings are kept as decoded, never repaired to U+FFFD; a lone surrogate in a digested
// record member is refused when the records reach canonical JSON (`jcs_invalid_value`).
function str(reader: ObjectReader, field: string): string {
  return reader.string(field);
}

/** A free-form JSON value copied as written (keys and strings kept, ADR 0005). */
function copyJson(value: unknown, path: string): JsonValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown, i) => copyJson(item, `${path}[${i}]`));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) setMember(out, key, copyJson(value[key], `${path}.${key}`));
    return out;
  }
  throw decodeError(`${path} must be a JSON value`, path);
}

function decodeRecord(reader: ObjectReader, raw: unknown): DecodedRecord {
  if (isJsonObject(raw)) rejectUnknownMembers(raw, RECORD_MEMBERS, reader.path);
  const params = reader.rawObject('retrieval_params');
  return {
    path: reader.path,
    refId: str(reader, 'ref_id'),
    sourceType: str(reader, 'source_type'),
    sourceLocator: str(reader, 'source_locator'),
    queryDigest: str(reader, 'query_digest'),
    contentDigest: str(reader, 'content_digest'),
    retrievedAt: reader.timestamp('retrieved_at'),
    redactionMode: str(reader, 'redaction_mode'),
    immutability: str(reader, 'immutability'),
    sensitivityLabel: str(reader, 'sensitivity_label'),
    freshnessSlaSeconds: reader.integer('freshness_sla_seconds'),
    retrievalParams: params === undefined ? undefined : (copyJson(params, reader.pathOf('retrieval_params')) as JsonObject),
  };
}

/**
 * Decodes an envelope without normalizing it: members map case-insensitively, unknown members are
 * rejected at every depth, wrong JSON types fail; strings are kept as decoded (ADR 0005).
 * @throws GaitError `artifact_invalid` (the caller prefixes `parse context envelope: `)
 */
export function decodeContextEnvelope(raw: unknown): DecodedEnvelope {
  const reader = ObjectReader.of(raw, '', 'artifact_invalid', 'context envelope must be a JSON object');
  rejectUnknownMembers(raw as JsonObject, ENVELOPE_MEMBERS, '');
  const rawRecords = reader.array('records');
  const records = reader.objectArray('records').map((r, i) => decodeRecord(r, rawRecords[i]));
  return {
    schemaId: str(reader, 'schema_id'),
    schemaVersion: str(reader, 'schema_version'),
    createdAt: reader.timestamp('created_at'),
    producerVersion: str(reader, 'producer_version'),
    contextSetId: str(reader, 'context_set_id'),
    contextSetDigest: str(reader, 'context_set_digest'),
    evidenceMode: str(reader, 'evidence_mode'),
    records,
  };
}
