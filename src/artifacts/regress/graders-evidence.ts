/**
 * The evidence graders of artifacts.md §4.3: `schema_validation` (the runpack reads fully and every
 * record carries its schema id and version) and `expected_exit_code` (stub replay of the recorded
 * results, §2.11: checks the evidence only, never the policy).
 */
import type { JsonObject } from '../../schema/v1/json-types.js';
import { firstDuplicate, stubTypeOf } from '../runpack/replay.js';
import type { RunpackEvidence, RunpackLoad } from './evidence.js';
import type { Fixture, GraderOutcome } from './types.js';

const SCHEMA = {
  manifest: 'gait.runpack.manifest',
  run: 'gait.runpack.run',
  intent: 'gait.runpack.intent',
  result: 'gait.runpack.result',
  refs: 'gait.runpack.refs',
} as const;
const VERSION = '1.0.0';

function schemaReasons(e: RunpackEvidence): string[] {
  const reasons: string[] = [];
  if (e.manifestSchemaId !== SCHEMA.manifest || e.manifestSchemaVersion !== VERSION) reasons.push('manifest_schema_invalid');
  if (e.runSchemaId !== SCHEMA.run || e.runSchemaVersion !== VERSION) reasons.push('run_schema_invalid');
  if (e.refs.schemaId !== SCHEMA.refs || e.refs.schemaVersion !== VERSION) reasons.push('refs_schema_invalid');
  if (e.intents.some((i) => i.schemaId !== SCHEMA.intent || i.schemaVersion !== VERSION)) reasons.push('intent_schema_invalid');
  if (e.results.some((r) => r.schemaId !== SCHEMA.result || r.schemaVersion !== VERSION)) reasons.push('result_schema_invalid');
  return reasons;
}

/** `schema_validation` (§4.3). */
export function gradeSchemaValidation(load: RunpackLoad): GraderOutcome {
  if (!load.ok) {
    return {
      grader: 'schema_validation',
      status: 'fail',
      reasonCodes: [load.reason],
      details: { error: load.error, missing_files: [...(load.missingFiles ?? [])], hash_mismatches: load.hashMismatches ?? 0 },
    };
  }
  const e = load.evidence;
  const reasons: string[] = [];
  if (e.missingFiles.length > 0) reasons.push('missing_files');
  if (e.hashMismatches > 0) reasons.push('hash_mismatch');
  // Extension (artifacts.md §10): undeclared entries are an integrity failure of their own.
  if (e.undeclaredFiles.length > 0) reasons.push('undeclared_files');
  reasons.push(...schemaReasons(e));
  const details: JsonObject = {
    missing_files: [...e.missingFiles],
    hash_mismatches: e.hashMismatches,
    intent_records: e.intents.length,
    result_records: e.results.length,
    reference_receipts: e.refs.receiptCount,
  };
  if (e.undeclaredFiles.length > 0) details['undeclared_files'] = [...e.undeclaredFiles];
  return { grader: 'schema_validation', status: reasons.length === 0 ? 'pass' : 'fail', reasonCodes: reasons, details };
}

/** Stub replay (§2.11): the intent ids with neither a recorded result nor a stub class; throws on duplicate ids. */
function stubReplayMissing(e: RunpackEvidence): string[] {
  const dupIntent = firstDuplicate(e.intents.map((i) => i.intentId));
  if (dupIntent !== undefined) throw new Error(`duplicate intent_id in runpack: ${dupIntent}`);
  const dupResult = firstDuplicate(e.results.map((r) => r.intentId));
  if (dupResult !== undefined) throw new Error(`duplicate result intent_id in runpack: ${dupResult}`);
  const withResult = new Set(e.results.map((r) => r.intentId));
  return e.intents.filter((i) => !withResult.has(i.intentId) && stubTypeOf(i.toolName) === undefined).map((i) => i.intentId);
}

/** `expected_exit_code` (§4.3): actual = 2 when stub replay misses results, else 0. */
export function gradeExpectedExitCode(load: RunpackLoad, fixture: Fixture): GraderOutcome {
  const expected = fixture.expectedReplayExitCode;
  if (!load.ok) {
    return { grader: 'expected_exit_code', status: 'fail', reasonCodes: ['replay_error'], details: { error: load.error, expected_exit_code: expected } };
  }
  let missing: string[];
  try {
    missing = stubReplayMissing(load.evidence);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { grader: 'expected_exit_code', status: 'fail', reasonCodes: ['replay_error'], details: { error, expected_exit_code: expected } };
  }
  const actual = missing.length > 0 ? 2 : 0;
  const details: JsonObject = { expected_exit_code: expected, actual_exit_code: actual };
  if (missing.length > 0) details['missing_results'] = missing;
  const ok = actual === expected;
  return { grader: 'expected_exit_code', status: ok ? 'pass' : 'fail', reasonCodes: ok ? [] : ['unexpected_exit_code'], details };
}
