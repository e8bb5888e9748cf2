/**
 * Per-type contracts of `pack verify` (artifacts.md §3.6 step 7): the payload entries parse strictly
 * and validate, ids agree with `source_ref`, and a run pack's embedded runpack verifies with the
 * manifest digest its payload names (§10).
 */
import { parseTimestamp } from '../../runtime/timestamp.js';
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { verifyRunpack } from '../runpack/verify.js';
import type { ZipLimits } from '../zip/read.js';
import { JOB_STATUSES } from './job-payload.js';
import { PACK_JOB_SCHEMA_ID, PACK_RUN_SCHEMA_ID, PACK_SCHEMA_VERSION } from './types.js';
import type { PackManifest } from './types.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseObject(bytes: Uint8Array | undefined, name: string): JsonObject | string {
  if (bytes === undefined) return `${name} is missing`;
  try {
    const v = JSON.parse(UTF8.decode(bytes)) as unknown;
    return isJsonObject(v) ? v : `${name} must be a JSON object`;
  } catch {
    return `${name} is not valid JSON`;
  }
}

function closedErrors(obj: JsonObject, allowed: readonly string[], name: string): string {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k)).sort();
  return extra.length > 0 ? `${name} has unknown members: ${extra.join(', ')}` : '';
}

function isTime(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    parseTimestamp(v);
    return true;
  } catch {
    return false;
  }
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

const RUN_MEMBERS = [
  'schema_id',
  'schema_version',
  'created_at',
  'run_id',
  'capture_mode',
  'manifest_digest',
  'intents_count',
  'results_count',
  'refs_count',
  'context_set_digest',
  'context_ref_count',
  'context_evidence_mode',
  'context_privacy_mode',
];

/** `run_payload.json` checks; '' when valid. */
export function runPayloadError(p: JsonObject): string {
  const name = 'run_payload.json';
  const closed = closedErrors(p, RUN_MEMBERS, name);
  if (closed !== '') return closed;
  if (p['schema_id'] !== PACK_RUN_SCHEMA_ID || p['schema_version'] !== PACK_SCHEMA_VERSION) return `${name} schema must be ${PACK_RUN_SCHEMA_ID} ${PACK_SCHEMA_VERSION}`;
  if (!isTime(p['created_at'])) return `${name} created_at must be an RFC 3339 timestamp`;
  if (typeof p['run_id'] !== 'string' || p['run_id'] === '') return `${name} run_id is required`;
  if (p['capture_mode'] !== 'reference' && p['capture_mode'] !== 'raw') return `${name} capture_mode must be reference or raw`;
  if (typeof p['manifest_digest'] !== 'string' || !HEX64.test(p['manifest_digest'])) return `${name} manifest_digest must be 64 hex characters`;
  for (const k of ['intents_count', 'results_count', 'refs_count']) if (!isCount(p[k])) return `${name} ${k} must be an integer >= 0`;
  if (p['context_set_digest'] !== undefined && (typeof p['context_set_digest'] !== 'string' || !HEX64.test(p['context_set_digest']))) {
    return `${name} context_set_digest must be 64 hex characters`;
  }
  if (p['context_ref_count'] !== undefined && !isCount(p['context_ref_count'])) return `${name} context_ref_count must be an integer >= 0`;
  const mode = p['context_evidence_mode'];
  if (mode !== undefined && mode !== 'best_effort' && mode !== 'required') return `${name} context_evidence_mode must be best_effort or required`;
  if (p['context_privacy_mode'] !== undefined && typeof p['context_privacy_mode'] !== 'string') return `${name} context_privacy_mode must be a string`;
  return '';
}

/** The run contract (§3.6 step 7 "run"); '' when it holds. */
export function runContractError(manifest: PackManifest, entries: ReadonlyMap<string, Uint8Array>, limits: Partial<ZipLimits>): string {
  const payload = parseObject(entries.get('run_payload.json'), 'run_payload.json');
  if (typeof payload === 'string') return payload;
  const invalid = runPayloadError(payload);
  if (invalid !== '') return invalid;
  if (payload['run_id'] !== manifest.sourceRef) return `run_payload.json run_id does not match source_ref ${manifest.sourceRef}`;
  const source = entries.get('source/runpack.zip');
  if (source === undefined) return 'source/runpack.zip is missing';
  const report = verifyRunpack(source, { limits });
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.why ?? ''}`);
    return `embedded runpack failed verification: ${failed.join('; ')}`;
  }
  if (report.manifestDigest.toLowerCase() !== String(payload['manifest_digest']).toLowerCase()) {
    return 'embedded runpack manifest_digest does not match run_payload.json';
  }
  return '';
}

/**
 * The job contract (§3.6 step 7 "job"): payload, state and events parse, ids agree, and the counts
 * match the state's `checkpoints` / `approvals` arrays when it has them.
 */
export function jobContractError(manifest: PackManifest, entries: ReadonlyMap<string, Uint8Array>): string {
  const payload = parseObject(entries.get('job_payload.json'), 'job_payload.json');
  if (typeof payload === 'string') return payload;
  if (payload['schema_id'] !== PACK_JOB_SCHEMA_ID || payload['schema_version'] !== PACK_SCHEMA_VERSION) return `job_payload.json schema must be ${PACK_JOB_SCHEMA_ID} ${PACK_SCHEMA_VERSION}`;
  if (typeof payload['job_id'] !== 'string' || payload['job_id'] === '') return 'job_payload.json job_id is required';
  if (typeof payload['status'] !== 'string' || !(JOB_STATUSES as readonly string[]).includes(payload['status'])) return 'job_payload.json status is not a job status';
  for (const k of ['checkpoint_count', 'approval_count']) if (!isCount(payload[k])) return `job_payload.json ${k} must be an integer >= 0`;
  if (payload['job_id'] !== manifest.sourceRef) return `job_payload.json job_id does not match source_ref ${manifest.sourceRef}`;
  const state = parseObject(entries.get('job_state.json'), 'job_state.json');
  if (typeof state === 'string') return state;
  if (state['job_id'] !== undefined && state['job_id'] !== payload['job_id']) return 'job_state.json job_id does not match job_payload.json';
  const events = entries.get('job_events.jsonl');
  if (events === undefined) return 'job_events.jsonl is missing';
  const lines = Buffer.from(events).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) if (typeof parseObject(Buffer.from(line), 'x') === 'string') return `job_events.jsonl line ${i + 1} is not a JSON object`;
  for (const [count, list] of [['checkpoint_count', 'checkpoints'], ['approval_count', 'approvals']] as const) {
    const arr = state[list];
    if (Array.isArray(arr) && arr.length !== payload[count]) return `job_payload.json ${count} does not match job_state.json ${list}`;
  }
  return '';
}
