/**
 * The record pipeline, steps 1–5 (artifacts.md §2.4): run id, defaults, digest normalization, refs
 * normalization, capture mode. Pure: the current time (a missing `run.created_at`) and the host
 * environment (missing `env` members) are arguments.
 */
import { digestJcs } from '../../crypto/digest.js';
import { GaitError } from '../../errors/error.js';
import type { Clock } from '../../runtime/clock.js';
import { FALLBACK_CREATED_AT, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { compareCodePoints, isHex64, lowerSimple, trimSpec } from '../../schema/v1/text.js';
import type { DecodedRefs } from './decode.js';
import type { RunpackInput } from './input.js';
import { INTENT_SCHEMA_ID, REFS_SCHEMA_ID, RESULT_SCHEMA_ID, RUN_SCHEMA_ID, RUNPACK_SCHEMA_VERSION } from './types.js';
import type {
  CaptureMode,
  ContextEvidenceMode,
  IntentRecord,
  RecordHeader,
  RefReceipt,
  RefsRecord,
  ResultRecord,
  RunEnv,
  RunRecord,
} from './types.js';

export const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';

export interface NormalizeOptions {
  /** Time for a missing `run.created_at` (UTC). */
  readonly clock: Clock;
  /** Defaults for empty `env` members (Gait v1 names: `linux`/`darwin`/`windows`, `amd64`/`arm64`). */
  readonly hostEnv: RunEnv;
}

export interface NormalizedRun {
  readonly run: RunRecord;
  readonly intents: IntentRecord[];
  readonly results: ResultRecord[];
  readonly refs: RefsRecord;
  readonly captureMode: CaptureMode;
  /** Capture warnings (§2.5), in order. */
  readonly warnings: string[];
}

export const RAW_CAPTURE_WARNING =
  'raw capture retains raw intent arguments and raw result payloads; handle runpack as sensitive evidence';
export const REFERENCE_CAPTURE_WARNING = 'reference capture stripped raw intent arguments and raw result payloads after digesting';

function invalid(message: string): GaitError {
  return new GaitError('artifact_invalid', message);
}

/** Step 2, run: schema constants, `created_at` (now, UTC), `producer_version`, `env`. */
function runDefaults(run: RunRecord, options: NormalizeOptions): RunRecord {
  return {
    schemaId: run.schemaId === '' ? RUN_SCHEMA_ID : run.schemaId,
    schemaVersion: run.schemaVersion === '' ? RUNPACK_SCHEMA_VERSION : run.schemaVersion,
    createdAt: isZeroTime(run.createdAt) ? toUtc(options.clock.now()) : run.createdAt,
    producerVersion: run.producerVersion === '' ? DEFAULT_PRODUCER_VERSION : run.producerVersion,
    runId: run.runId,
    env: {
      os: run.env.os === '' ? options.hostEnv.os : run.env.os,
      arch: run.env.arch === '' ? options.hostEnv.arch : run.env.arch,
      runtime: run.env.runtime === '' ? options.hostEnv.runtime : run.env.runtime,
    },
    timeline: run.timeline,
  };
}

/** Step 2, children: empty header members come from the run (schema constants from the record kind). */
function childHeader<T extends RecordHeader>(child: T, run: RunRecord, schemaId: string): T {
  return {
    ...child,
    schemaId: child.schemaId === '' ? schemaId : child.schemaId,
    schemaVersion: child.schemaVersion === '' ? RUNPACK_SCHEMA_VERSION : child.schemaVersion,
    createdAt: isZeroTime(child.createdAt) ? run.createdAt : child.createdAt,
    producerVersion: child.producerVersion === '' ? run.producerVersion : child.producerVersion,
    runId: child.runId === '' ? run.runId : child.runId,
  };
}

interface DigestRule {
  readonly kind: 'intent' | 'result';
  readonly id: string;
  readonly given: string;
  readonly payload: JsonObject | undefined;
  readonly normalization: JsonObject | undefined;
}

/** Step 3 for one intent or result: the digest to record. */
function normalizedDigest(rule: DigestRule): string {
  const { kind, id, given } = rule;
  if (rule.normalization !== undefined) {
    const d = digestJcs(rule.normalization);
    if (given === '') return d;
    if (given.toLowerCase() !== d) throw invalid(kind === 'intent' ? `intent ${id} args digest mismatch` : `result ${id} digest mismatch`);
    return d;
  }
  if (given !== '') return given;
  if (rule.payload === undefined) {
    throw invalid(
      kind === 'intent'
        ? `intent ${id} requires args_digest or normalization.intent_args`
        : `result ${id} requires result_digest or normalization.result_payloads`,
    );
  }
  return digestJcs(rule.payload);
}

function firstBy<T extends { readonly intentId: string }>(items: readonly T[], id: string): T | undefined {
  return items.find((item) => item.intentId === id);
}

const norm = (s: string): string => lowerSimple(trimSpec(s));

/** Step 3 for receipts: `gait.trace` receipts are bound to their intent and result; others need both digests. */
function bindReceipt(r: RefReceipt, intents: readonly IntentRecord[], results: readonly ResultRecord[]): RefReceipt {
  const ref = r.refId;
  if (norm(r.sourceType) === 'gait.trace' && ref.startsWith('trace_')) {
    const id = ref.slice('trace_'.length);
    const intent = firstBy(intents, id);
    if (intent === undefined) throw invalid(`receipt ${ref} references unknown intent ${id}`);
    const result = firstBy(results, id);
    if (result === undefined) throw invalid(`receipt ${ref} references unknown result for intent ${id}`);
    const query = digestJcs({ tool_name: intent.toolName, args_digest: intent.argsDigest });
    const content = result.resultDigest;
    if (norm(r.queryDigest) !== '' && norm(r.queryDigest) !== query.toLowerCase()) throw invalid(`receipt ${ref} query digest mismatch`);
    if (norm(r.contentDigest) !== '' && norm(r.contentDigest) !== content.toLowerCase()) throw invalid(`receipt ${ref} content digest mismatch`);
    return { ...r, queryDigest: norm(r.queryDigest) === '' ? query : r.queryDigest, contentDigest: norm(r.contentDigest) === '' ? content : r.contentDigest };
  }
  if (norm(r.queryDigest) === '') throw invalid(`receipt ${ref} requires query_digest`);
  if (norm(r.contentDigest) === '') throw invalid(`receipt ${ref} requires content_digest`);
  return r;
}

const IMMUTABILITY: ReadonlySet<string> = new Set(['unknown', 'mutable', 'immutable']);

function utcOrFallback(ts: Timestamp): Timestamp {
  return isZeroTime(ts) ? FALLBACK_CREATED_AT : toUtc(ts);
}

function normalizeReceipt(r: RefReceipt): RefReceipt {
  const immutability = norm(r.immutability) === '' ? 'unknown' : norm(r.immutability);
  if (!IMMUTABILITY.has(immutability)) throw invalid(`receipt ${r.refId} immutability must be unknown, mutable or immutable`);
  if (r.freshnessSlaSeconds < 0) throw invalid(`receipt ${r.refId} freshness_sla_seconds must be >= 0`);
  return {
    ...r,
    queryDigest: norm(r.queryDigest),
    contentDigest: norm(r.contentDigest),
    immutability,
    retrievedAt: utcOrFallback(r.retrievedAt),
  };
}

/**
 * Step 4 (also applied when reading refs for diff, §2.10): evidence mode, context digest, count,
 * receipts normalized and sorted by `ref_id`.
 * @throws GaitError `artifact_invalid` for a mode other than best_effort/required, a context digest
 *   that is not 64 hex, a negative count, a bad receipt `immutability`
 */
export function normalizeRefs(refs: DecodedRefs): RefsRecord {
  const mode = norm(refs.contextEvidenceMode);
  if (mode !== '' && mode !== 'best_effort' && mode !== 'required') throw invalid('context evidence mode must be best_effort or required');
  const digest = norm(refs.contextSetDigest);
  if (digest !== '' && !isHex64(digest)) throw invalid('refs context_set_digest must be 64 hex characters');
  if (refs.contextRefCount < 0) throw invalid('refs context_ref_count must be >= 0');
  // Array.prototype.sort is stable: receipts with equal ref_id keep their input order.
  const receipts = refs.receipts.map(normalizeReceipt).sort((a, b) => compareCodePoints(a.refId, b.refId));
  return {
    ...refs,
    contextSetDigest: digest,
    contextEvidenceMode: mode as '' | ContextEvidenceMode,
    contextRefCount: refs.contextRefCount === 0 && receipts.length > 0 ? receipts.length : refs.contextRefCount,
    receipts,
  };
}

function hasPayload(o: JsonObject | undefined): boolean {
  return o !== undefined && Object.keys(o).length > 0;
}

function withoutPayload<T extends { readonly args?: JsonObject; readonly result?: JsonObject }>(record: T): T {
  const { args: _args, result: _result, ...rest } = record;
  return rest as T;
}

/**
 * Runs steps 1–5 of the record pipeline (§2.4) over a decoded input.
 * @throws GaitError `artifact_invalid` (exit 6) with the spec's messages: `run_id is required`,
 *   `capture mode must be one of: reference, raw`, `intent <id> args digest mismatch`, `intent <id>
 *   requires args_digest or normalization.intent_args`, the result and receipt messages;
 *   `jcs_invalid_value` for a payload that is not plain JSON (ADR 0005)
 */
export function normalizeRunpackInput(input: RunpackInput, options: NormalizeOptions): NormalizedRun {
  if (trimSpec(input.run.runId) === '') throw invalid('run_id is required');
  const captureMode = input.captureMode === '' ? 'reference' : input.captureMode;
  if (captureMode !== 'reference' && captureMode !== 'raw') throw invalid('capture mode must be one of: reference, raw');
  const run = runDefaults(input.run, options);
  const { intentArgs, resultPayloads } = input.normalization;
  let intents = input.intents.map((i) => {
    const r = childHeader(i, run, INTENT_SCHEMA_ID);
    const normalization = intentArgs.get(r.intentId);
    return { ...r, argsDigest: normalizedDigest({ kind: 'intent', id: r.intentId, given: r.argsDigest, payload: r.args, normalization }) };
  });
  let results = input.results.map((x) => {
    const r = childHeader(x, run, RESULT_SCHEMA_ID);
    const normalization = resultPayloads.get(r.intentId);
    return { ...r, resultDigest: normalizedDigest({ kind: 'result', id: r.intentId, given: r.resultDigest, payload: r.result, normalization }) };
  });
  const boundRefs = { ...childHeader(input.refs, run, REFS_SCHEMA_ID), receipts: input.refs.receipts.map((r) => bindReceipt(r, intents, results)) };
  const refs = normalizeRefs(boundRefs);
  const warnings: string[] = [];
  if (captureMode === 'raw') {
    warnings.push(RAW_CAPTURE_WARNING);
  } else {
    if (intents.some((i) => hasPayload(i.args)) || results.some((r) => hasPayload(r.result))) warnings.push(REFERENCE_CAPTURE_WARNING);
    intents = intents.map(withoutPayload);
    results = results.map(withoutPayload);
  }
  return { run, intents, results, refs, captureMode, warnings };
}
