/**
 * `fixtures/<name>/fixture.json` (artifacts.md §4.1): decoded under the gate.md §A1.4 rules (so Gait v1
 * fixtures, which lack `intents` and `expected_decisions`, load), written as 2-space JSON in the
 * spec's member order.
 */
import { GaitError } from '../../errors/error.js';
import { parseTimestamp } from '../../runtime/timestamp.js';
import { ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import { trimSpec } from '../../schema/v1/text.js';
import { parseVerdictText } from './names.js';
import { formatJsonPretty } from './pretty-json.js';
import { REGRESS_FIXTURE_SCHEMA_ID, REGRESS_SCHEMA_VERSION } from './types.js';
import type { ContextConformanceMode, ExpectedDecision, Fixture } from './types.js';

export const FIXTURE_RUNPACK_FILE = 'runpack.zip';
export const FIXTURE_INTENTS_FILE = 'intents.jsonl';
export const FIXTURE_FILE = 'fixture.json';

function invalid(file: string, reason: string): GaitError {
  return new GaitError('artifact_invalid', `invalid regress fixture \`${file}\`: ${reason}`, { details: { file } });
}

function optionalList(r: ObjectReader, field: string): readonly string[] | undefined {
  return r.has(field) ? r.stringArray(field) : undefined;
}

function readDecision(r: ObjectReader, file: string, index: number): ExpectedDecision {
  const where = `${file} expected_decisions[${index}]`;
  const verdict = parseVerdictText(r.string('verdict'), where);
  const intentId = trimSpec(r.string('intent_id'));
  if (intentId === '') throw invalid(file, `expected_decisions[${index}].intent_id is required`);
  const decision: { -readonly [K in keyof ExpectedDecision]: ExpectedDecision[K] } = {
    intentId,
    toolName: r.string('tool_name'),
    argsDigest: r.string('args_digest'),
    verdict,
  };
  const reasons = optionalList(r, 'reason_codes');
  if (reasons !== undefined) decision.reasonCodes = reasons;
  const violations = optionalList(r, 'violations');
  if (violations !== undefined) decision.violations = violations;
  const digest = r.string('intent_digest');
  if (digest !== '') decision.intentDigest = digest;
  return decision;
}

function readContextMode(r: ObjectReader, file: string): ContextConformanceMode | undefined {
  const raw = trimSpec(r.string('context_conformance'));
  if (raw === '') return undefined;
  if (raw === 'required' || raw === 'none') return raw;
  throw invalid(file, `context_conformance must be required or none, got \`${raw}\``);
}

function checkTime(text: string, file: string): void {
  try {
    parseTimestamp(text);
  } catch (cause) {
    throw new GaitError('artifact_invalid', `invalid regress fixture \`${file}\`: evaluation_time must be an RFC 3339 timestamp, got \`${text}\``, { details: { file }, cause });
  }
}

type MutableFixture = { -readonly [K in keyof Fixture]: Fixture[K] };

function readOptionals(r: ObjectReader, file: string, out: MutableFixture): void {
  const strings = [
    ['policy', 'policy'],
    ['evaluation_time', 'evaluationTime'],
    ['baseline_policy_digest', 'baselinePolicyDigest'],
    ['candidate_runpack', 'candidateRunpack'],
    ['expected_context_set_digest', 'expectedContextSetDigest'],
    ['session_chain', 'sessionChain'],
  ] as const;
  for (const [wire, key] of strings) {
    const value = trimSpec(r.string(wire));
    if (value !== '') out[key] = value;
  }
  const tools = optionalList(r, 'expected_tool_sequence');
  if (tools !== undefined && tools.length > 0) out.expectedToolSequence = tools;
  const verdicts = optionalList(r, 'expected_verdict_sequence');
  if (verdicts !== undefined && verdicts.length > 0) {
    out.expectedVerdictSequence = verdicts.map((v, i) => parseVerdictText(v, `${file} expected_verdict_sequence[${i}]`));
  }
  const mode = readContextMode(r, file);
  if (mode !== undefined) out.contextConformance = mode;
  if (r.boolean('allow_context_runtime_drift')) out.allowContextRuntimeDrift = true;
  const allowed = optionalList(r, 'diff_allow_changed_files');
  if (allowed !== undefined && allowed.length > 0) out.diffAllowChangedFiles = allowed;
  if (r.has('checkpoint_index')) out.checkpointIndex = r.integer('checkpoint_index');
}

/**
 * Decodes a parsed `fixture.json`.
 * @param file the path shown in messages
 * @throws GaitError `artifact_invalid` (not an object, a member of the wrong JSON type, wrong schema
 *   id/version, missing name or run_id, bad context_conformance or evaluation_time), `input_usage`
 *   (an invalid verdict string)
 */
export function parseFixture(value: unknown, file: string): Fixture {
  const r = ObjectReader.of(value, '', 'artifact_invalid', `invalid regress fixture \`${file}\`: must be a JSON object`);
  const schemaId = trimSpec(r.string('schema_id'));
  if (schemaId !== '' && schemaId !== REGRESS_FIXTURE_SCHEMA_ID) throw invalid(file, `unsupported schema_id \`${schemaId}\``);
  const schemaVersion = trimSpec(r.string('schema_version'));
  if (schemaVersion !== '' && schemaVersion !== REGRESS_SCHEMA_VERSION) throw invalid(file, `unsupported schema_version \`${schemaVersion}\``);
  const name = trimSpec(r.string('name'));
  if (name === '') throw invalid(file, 'name is required');
  const runId = trimSpec(r.string('run_id'));
  if (runId === '') throw invalid(file, 'run_id is required');
  const out: MutableFixture = {
    name,
    runId,
    runpack: trimSpec(r.string('runpack')) || FIXTURE_RUNPACK_FILE,
    intents: trimSpec(r.string('intents')) || FIXTURE_INTENTS_FILE,
    expectedDecisions: r.objectArray('expected_decisions').map((d, i) => readDecision(d, file, i)),
    expectedReplayExitCode: r.integer('expected_replay_exit_code'),
  };
  readOptionals(r, file, out);
  if (out.evaluationTime !== undefined) checkTime(out.evaluationTime, file);
  return out;
}

function decisionJson(d: ExpectedDecision): JsonObject {
  const out: JsonObject = { intent_id: d.intentId, tool_name: d.toolName, args_digest: d.argsDigest, verdict: d.verdict };
  if (d.reasonCodes !== undefined) out['reason_codes'] = [...d.reasonCodes];
  if (d.violations !== undefined) out['violations'] = [...d.violations];
  if (d.intentDigest !== undefined) out['intent_digest'] = d.intentDigest;
  return out;
}

function put(out: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value !== undefined) out[key] = value;
}

/** The wire object of a fixture, members in the §4.1 order, optional members only when set. */
export function toFixtureJson(f: Fixture): JsonObject {
  const out: JsonObject = {
    schema_id: REGRESS_FIXTURE_SCHEMA_ID,
    schema_version: REGRESS_SCHEMA_VERSION,
    name: f.name,
    run_id: f.runId,
    runpack: f.runpack,
    intents: f.intents,
  };
  put(out, 'policy', f.policy);
  put(out, 'evaluation_time', f.evaluationTime);
  put(out, 'baseline_policy_digest', f.baselinePolicyDigest);
  out['expected_decisions'] = f.expectedDecisions.map(decisionJson);
  out['expected_replay_exit_code'] = f.expectedReplayExitCode;
  put(out, 'expected_tool_sequence', f.expectedToolSequence === undefined ? undefined : [...f.expectedToolSequence]);
  put(out, 'expected_verdict_sequence', f.expectedVerdictSequence === undefined ? undefined : [...f.expectedVerdictSequence]);
  put(out, 'candidate_runpack', f.candidateRunpack);
  put(out, 'context_conformance', f.contextConformance);
  put(out, 'allow_context_runtime_drift', f.allowContextRuntimeDrift);
  put(out, 'expected_context_set_digest', f.expectedContextSetDigest);
  put(out, 'diff_allow_changed_files', f.diffAllowChangedFiles === undefined ? undefined : [...f.diffAllowChangedFiles]);
  put(out, 'session_chain', f.sessionChain);
  put(out, 'checkpoint_index', f.checkpointIndex);
  return out;
}

/** `fixture.json` text: 2-space JSON + newline (§4.1). */
export function formatFixtureJson(f: Fixture): string {
  return formatJsonPretty(toFixtureJson(f));
}
