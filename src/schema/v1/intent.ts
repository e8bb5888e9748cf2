/**
 * IntentRequest decoding and normalization (gate.md §A3.2), preparation (§A3.6 without envelope) and
 * the normalized wire form. Normalization is idempotent: normalizing `toIntentWire(x)` gives the same
 * digests as `x`.
 */
import { GaitError } from '../../errors/error.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { isJsonObject, ObjectReader } from './decode.js';
import { normalizeFreeObject, setMember } from './free-object.js';
import { normalizeContext } from './intent-context.js';
import { normalizeDelegation } from './intent-delegation.js';
import { argsDigest, intentDigest, toIntentDigestObject } from './intent-digest.js';
import { normalizeArgProvenance, normalizeSkillProvenance, normalizeTargets } from './intent-targets.js';
import type { Intent } from './intent-types.js';
import type { JsonObject } from './json-types.js';
import { assertNoRawCredentials } from './raw-credentials.js';
import { normalizeRelationship } from './relationship.js';
import { lowerSimple, trimSpec } from './text.js';

const INTENT_SCHEMA_ID = 'gait.gate.intent_request';
const INTENT_SCHEMA_VERSION = '1.0.0';

/** `created_at` in UTC; unset (absent, null, zero time) → 1980-01-01T00:00:00Z (gate.md §A3.1). */
function createdAt(reader: ObjectReader): Timestamp {
  const ts = reader.timestamp('created_at');
  return ts === undefined || isZeroTime(ts) ? FALLBACK_CREATED_AT : toUtc(ts);
}

/** gate.md §A3.2 step 3: args absent or null → {}; normalized; raw-credential check with prefix `args`. */
function normalizeArgs(reader: ObjectReader): JsonObject {
  const raw = reader.rawObject('args');
  if (raw === undefined) return {};
  const args = normalizeFreeObject(raw, 'args', 'args contains empty key');
  assertNoRawCredentials('args', args);
  return args;
}

/**
 * Decodes and normalizes an IntentRequest (gate.md §A1.4, §A3.2 steps 2–8).
 * @throws GaitError `input_intent` with the spec's messages; `input_unsupported_feature` for script intents (§B1)
 */
export function normalizeIntent(raw: unknown): Intent {
  const reader = ObjectReader.of(raw, '', 'input_intent', 'intent must be a JSON object');
  if (reader.has('script')) {
    throw new GaitError('input_unsupported_feature', 'script intents are not supported yet (gate.md §B1)', {
      details: { path: 'script' },
    });
  }
  const toolName = lowerSimple(trimSpec(reader.string('tool_name')));
  if (toolName === '') throw new GaitError('input_intent', 'tool_name is required', { details: { path: 'tool_name' } });
  const args = normalizeArgs(reader);
  const targets = normalizeTargets(reader.objectArray('targets'), toolName);
  const argProvenance = normalizeArgProvenance(reader.objectArray('arg_provenance'));
  const skillProvenance = normalizeSkillProvenance(reader.object('skill_provenance'));
  const context = normalizeContext(reader.object('context') ?? ObjectReader.of({}, 'context'));
  const delegation = normalizeDelegation(reader.object('delegation'));
  const schemaId = reader.string('schema_id');
  const schemaVersion = reader.string('schema_version');
  return {
    schemaId: schemaId === '' ? INTENT_SCHEMA_ID : schemaId,
    schemaVersion: schemaVersion === '' ? INTENT_SCHEMA_VERSION : schemaVersion,
    createdAt: createdAt(reader),
    producerVersion: reader.string('producer_version'),
    toolName,
    args,
    targets,
    argProvenance,
    skillProvenance,
    delegation,
    relationship: normalizeRelationship(reader.get('relationship')),
    context,
  };
}

/** The raw input's `context.risk_class`, trimmed and lowercased, or '' when unreadable (for fail-closed, §A5.2). */
export function rawRiskClass(raw: unknown): string {
  try {
    const context = ObjectReader.of(raw, '').get('context');
    if (!isJsonObject(context)) return '';
    const riskClass = ObjectReader.of(context, 'context').get('risk_class');
    return typeof riskClass === 'string' ? lowerSimple(trimSpec(riskClass)) : '';
  } catch {
    return '';
  }
}

/**
 * The prepared intent without a context envelope (gate.md §A3.6 step 2): context-evidence claims
 * stripped, `auth_context.context_age_seconds` removed (auth_context absent if it ends up empty).
 */
export function prepareIntent(intent: Intent): Intent {
  let authContext = intent.context.authContext;
  if (authContext !== undefined && Object.hasOwn(authContext, 'context_age_seconds')) {
    const rest: JsonObject = {};
    for (const [key, value] of Object.entries(authContext)) if (key !== 'context_age_seconds') setMember(rest, key, value);
    authContext = Object.keys(rest).length === 0 ? undefined : rest;
  }
  return {
    ...intent,
    context: { ...intent.context, contextSetDigest: '', contextEvidenceMode: '', contextRefs: [], authContext },
  };
}

/**
 * The normalized intent as snake_case wire JSON, with schema ids, `created_at`, `producer_version`,
 * `args_digest` and `intent_digest` filled (Gait v1 IntentRequest member order).
 */
export function toIntentWire(intent: Intent): JsonObject {
  const digestObject = toIntentDigestObject(intent);
  const out: JsonObject = {
    schema_id: intent.schemaId,
    schema_version: intent.schemaVersion,
    created_at: formatTimestamp(intent.createdAt),
    producer_version: intent.producerVersion,
    tool_name: intent.toolName,
    args: intent.args,
    args_digest: argsDigest(intent),
    intent_digest: intentDigest(intent),
  };
  for (const key of ['targets', 'arg_provenance', 'skill_provenance', 'delegation'] as const) {
    const value = digestObject[key];
    if (value !== undefined) out[key] = value;
  }
  if (intent.relationship !== undefined) out['relationship'] = intent.relationship;
  out['context'] = digestObject['context'] ?? {};
  return out;
}
