/**
 * `regress_result.json` (artifacts.md §4.4): the record, its optional signature (§1.2, §10), the
 * summary the CLI prints (`top_failure_reason`, `next_command`) and its 2-space JSON text.
 */
import type { SigningKey } from '../../crypto/keys.js';
import { signRecord } from '../../crypto/envelope.js';
import { formatTimestamp, parseTimestamp, toUtc, FALLBACK_CREATED_AT } from '../../runtime/timestamp.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { formatJsonPretty } from './pretty-json.js';
import { REGRESS_RESULT_SCHEMA_ID, REGRESS_SCHEMA_VERSION } from './types.js';
import type { GraderResult, GraderStatus } from './types.js';

export interface RegressResultInput {
  /** run.json `created_at` of the first fixture's runpack, as written; '' when unknown */
  readonly createdAt: string;
  readonly producerVersion: string;
  readonly fixtureSet: string;
  /** sorted by name */
  readonly graders: readonly GraderResult[];
}

/** `created_at` of the result: the first fixture run's `created_at` in UTC; missing or unreadable → 1980 (§4.4). */
export function resultCreatedAt(runCreatedAt: string): string {
  if (runCreatedAt === '') return formatTimestamp(FALLBACK_CREATED_AT);
  try {
    return formatTimestamp(toUtc(parseTimestamp(runCreatedAt)));
  } catch {
    return formatTimestamp(FALLBACK_CREATED_AT);
  }
}

/** Overall status: `fail` when any grader failed. */
export function overallStatus(graders: readonly GraderResult[]): GraderStatus {
  return graders.some((g) => g.status === 'fail') ? 'fail' : 'pass';
}

function graderJson(g: GraderResult): JsonObject {
  const out: JsonObject = { name: g.name, status: g.status, reason_codes: [...g.reasonCodes] };
  if (g.contextConformance !== undefined) out['context_conformance'] = g.contextConformance;
  out['details'] = g.details;
  return out;
}

/** The unsigned `gait.regress.result` record, members in §4.4 order. */
export function buildRegressResult(input: RegressResultInput): JsonObject {
  return {
    schema_id: REGRESS_RESULT_SCHEMA_ID,
    schema_version: REGRESS_SCHEMA_VERSION,
    created_at: resultCreatedAt(input.createdAt),
    producer_version: input.producerVersion,
    fixture_set: input.fixtureSet,
    status: overallStatus(input.graders),
    graders: input.graders.map(graderJson),
  };
}

/** The record with a top-level `signature` (gate.md §A8 envelope over the record without it; §1.2). */
export function signRegressResult(record: JsonObject, key: SigningKey): JsonObject {
  const { signature: _ignored, ...unsigned } = record;
  return { ...unsigned, signature: { ...signRecord(unsigned, key) } };
}

/** `regress_result.json` text: 2-space JSON + newline. */
export function formatRegressResult(record: JsonObject): string {
  return formatJsonPretty(record);
}

/** First reason of the first failing grader in sorted order; `grader_failed` if it has none; '' when all pass (§4.4). */
export function topFailureReason(graders: readonly GraderResult[]): string {
  const first = graders.find((g) => g.status === 'fail');
  if (first === undefined) return '';
  return first.reasonCodes[0] ?? 'grader_failed';
}

/** `next_command` on failure (§4.4): the default config path is left out. */
export function regressNextCommand(configPath: string): string {
  return configPath === '' || configPath === 'gait.yaml' ? 'gait regress run --json' : `gait regress run --config ${configPath} --json`;
}
