/**
 * IntentRequest decoding and normalization (gate.md §A3.2), preparation (§A3.6; envelope binding §B2) and
 * the normalized wire form. Normalization is idempotent: normalizing `toIntentWire(x)` gives the same
 * digests as `x`.
 */
import { GaitError } from '../../errors/error.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { bindContextEnvelope, CONTEXT_SOURCE_ENVELOPE, stripContextEvidence } from './context-binding.js';
import type { ContextEnvelope } from './context-envelope.js';
import { isJsonObject, ObjectReader } from './decode.js';
import { normalizeFreeObject } from './free-object.js';
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

/** A prepared intent and the outcome `context_source` its preparation contributes (gate.md §A5.7, §B2). */
export interface PreparedIntent {
  readonly intent: Intent;
  /** `context_envelope` when an envelope was bound, else '' */
  readonly contextSource: string;
}

/**
 * Prepares a normalized intent for evaluation (gate.md §A3.6 step 2) and reports its context source.
 * Without an envelope the context-evidence claims are stripped; with one they are bound (§B2).
 * @param intent a normalized intent
 * @param envelope a context envelope from `parseContextEnvelope`, or undefined
 * @param evaluationTime required with an envelope: the instant the context age is measured at
 * @throws GaitError `input_intent` when the intent's claims contradict the envelope (messages in
 *   `bindContextEnvelope`); `artifact_invalid` for an inconsistent hand-built envelope;
 *   `internal_failure` when an envelope comes without an evaluation time
 * @example prepareIntentDetailed(intent, envelope, now).contextSource // 'context_envelope'
 */
export function prepareIntentDetailed(intent: Intent, envelope?: ContextEnvelope, evaluationTime?: Timestamp): PreparedIntent {
  if (envelope === undefined) return { intent: stripContextEvidence(intent), contextSource: '' };
  if (evaluationTime === undefined) {
    throw new GaitError('internal_failure', 'binding a context envelope needs an evaluation time');
  }
  return { intent: bindContextEnvelope(intent, envelope, evaluationTime), contextSource: CONTEXT_SOURCE_ENVELOPE };
}

/**
 * The prepared intent (gate.md §A3.6 step 2). Without an envelope: context-evidence claims stripped,
 * `auth_context.context_age_seconds` removed (auth_context absent if it ends up empty). With an
 * envelope: claims checked and bound (§B2); see `prepareIntentDetailed`.
 * @throws GaitError as `prepareIntentDetailed`
 * @example prepareIntent(normalizeIntent(raw)).context.contextSetDigest // ''
 */
export function prepareIntent(intent: Intent): Intent;
export function prepareIntent(intent: Intent, envelope: ContextEnvelope | undefined, evaluationTime: Timestamp): Intent;
export function prepareIntent(intent: Intent, envelope?: ContextEnvelope, evaluationTime?: Timestamp): Intent {
  return prepareIntentDetailed(intent, envelope, evaluationTime).intent;
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
