/**
 * The job pack's entries (artifacts.md §3.3 "job"): `job_payload.json` (`gait.pack.job`) derived
 * from the job state, plus the state and events bytes as stored. The job runtime is outside these
 * documents; the state is read as `<job-root>/<job_id>/state.json`. Input that would produce a pack
 * failing the verify job contract (§3.6 step 7) is refused here.
 */
import { GaitError } from '../../errors/error.js';
import { canonicalBytes, canonicalize } from '../../jcs/canonicalize.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, parseTimestamp, toUtc } from '../../runtime/timestamp.js';
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { PackEntryInput } from './build.js';
import { PACK_JOB_SCHEMA_ID, PACK_SCHEMA_VERSION } from './types.js';

/** The job statuses `job_payload.json` accepts (schemas/v1/pack/job.schema.json). */
export const JOB_STATUSES = ['pending', 'running', 'paused', 'decision_needed', 'blocked', 'completed', 'failed', 'cancelled'] as const;

/** A job id that is safe to join under the job root: no separators, no `..`. */
const SAFE_JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Whether `id` may name a directory under the job root. */
export function isSafeJobId(id: string): boolean {
  return SAFE_JOB_ID.test(id) && !id.includes('..');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string): GaitError {
  return new GaitError('artifact_invalid', message);
}

/**
 * Parses `state.json` bytes into a JSON object.
 * @throws GaitError `artifact_invalid` (not UTF-8, not JSON, not an object)
 */
export function parseJobState(bytes: Uint8Array): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes)) as unknown;
  } catch {
    throw invalid('job state is not valid UTF-8 JSON');
  }
  if (!isJsonObject(value)) throw invalid('job state must be a JSON object');
  return value;
}

function optionalText(state: JsonObject, key: string): string {
  const v = state[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid(`job state ${key} must be a string`);
  return v;
}

function countOf(state: JsonObject, key: string): number {
  const v = state[key];
  if (v === undefined || v === null) return 0;
  if (!Array.isArray(v)) throw invalid(`job state ${key} must be an array`);
  return v.length;
}

function createdAtOf(state: JsonObject): string {
  const raw = optionalText(state, 'created_at');
  if (raw === '') return formatTimestamp(FALLBACK_CREATED_AT);
  let ts: Timestamp;
  try {
    ts = parseTimestamp(raw);
  } catch {
    throw invalid(`job state created_at must be an RFC 3339 timestamp, got \`${raw}\``);
  }
  return formatTimestamp(isZeroTime(ts) ? FALLBACK_CREATED_AT : toUtc(ts));
}

/**
 * `job_payload.json` (`gait.pack.job`, §3.3): ids, status and reasons from the state, counts from its
 * `checkpoints` / `approvals` arrays (missing → 0), `created_at` in UTC (missing → 1980).
 * `safety_invariant_version` / `safety_invariant_hash` are omitted when empty.
 * @throws GaitError `artifact_invalid` when the state lacks a job id or a known status, or a member has the wrong type
 */
export function buildJobPayload(state: JsonObject): JsonObject {
  const jobId = optionalText(state, 'job_id');
  if (jobId.trim() === '') throw invalid('job state job_id is required');
  const status = optionalText(state, 'status');
  if (!(JOB_STATUSES as readonly string[]).includes(status)) {
    throw invalid(`job state status \`${status}\` is not a job status (${JOB_STATUSES.join(', ')})`);
  }
  const out: JsonObject = {
    schema_id: PACK_JOB_SCHEMA_ID,
    schema_version: PACK_SCHEMA_VERSION,
    created_at: createdAtOf(state),
    job_id: jobId,
    status,
    stop_reason: optionalText(state, 'stop_reason'),
    status_reason_code: optionalText(state, 'status_reason_code'),
    environment_fingerprint: optionalText(state, 'environment_fingerprint'),
    checkpoint_count: countOf(state, 'checkpoints'),
    approval_count: countOf(state, 'approvals'),
  };
  const version = optionalText(state, 'safety_invariant_version');
  if (version !== '') out['safety_invariant_version'] = version;
  const hash = optionalText(state, 'safety_invariant_hash');
  if (hash !== '') out['safety_invariant_hash'] = hash;
  return out;
}

/** Checks the events and returns them as JSONL of canonical records, each followed by `\n` (§3.1). */
function canonicalEvents(events: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = UTF8.decode(events);
  } catch {
    throw invalid('job events are not valid UTF-8');
  }
  const lines: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line) as unknown;
    } catch {
      throw invalid(`job events line ${i + 1} is not valid JSON`);
    }
    if (!isJsonObject(v)) throw invalid(`job events line ${i + 1} is not a JSON object`);
    lines.push(canonicalize(v));
  }
  return UTF8_ENCODER.encode(lines.map((line) => `${line}\n`).join(''));
}

const UTF8_ENCODER = new TextEncoder();

export interface JobPackSource {
  /** `state.json` bytes, stored as canonical JSON in `job_state.json`. */
  readonly state: Uint8Array;
  /** `events.jsonl` bytes (empty when the job has none), stored as canonical JSONL in `job_events.jsonl`. */
  readonly events: Uint8Array;
  /** The job id the caller looked the job up by; the state's `job_id` must equal it. */
  readonly expectedJobId?: string;
}

export interface JobPackEntries {
  readonly jobId: string;
  readonly entries: PackEntryInput[];
}

/**
 * The entries of a job pack (§3.3 "job") and its `source_ref` (the state's `job_id`).
 * @throws GaitError `artifact_invalid` for an unusable state or events file, or a `job_id` other than `expectedJobId`
 */
export function jobPackEntries(source: JobPackSource): JobPackEntries {
  const state = parseJobState(source.state);
  const payload = buildJobPayload(state);
  const expected = source.expectedJobId ?? '';
  if (expected !== '' && payload['job_id'] !== expected) {
    throw invalid(`job state job_id \`${String(payload['job_id'])}\` does not match the requested job \`${expected}\``);
  }
  const events = canonicalEvents(source.events);
  return {
    jobId: String(payload['job_id']),
    entries: [
      { path: 'job_payload.json', data: canonicalBytes(payload) },
      // §3.1: JSON entries are canonical JSON, JSONL entries canonical records each followed by `\n`.
      { path: 'job_state.json', data: canonicalBytes(JSON.parse(UTF8.decode(source.state)) as unknown) },
      { path: 'job_events.jsonl', data: events },
    ],
  };
}
