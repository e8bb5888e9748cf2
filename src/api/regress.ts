/**
 * `runRegress`: grade regress fixtures in-process (artifacts.md §4.3–§4.4) — each fixture's recorded
 * intents replayed through the given policy, the graders run, and `regress_result.json` and JUnit
 * XML produced as values. Pure: fixtures come in as bytes and text (`gait/node` reads them from disk).
 */
import { effectiveFixtureSet } from '../artifacts/regress/config.js';
import type { CandidateLoad } from '../artifacts/regress/candidate.js';
import { parseFixture } from '../artifacts/regress/fixture.js';
import { diffForRegress, loadRunpackEvidence } from '../artifacts/regress/from-runpack.js';
import { gradeFixture, sortGraderResults } from '../artifacts/regress/grade.js';
import { parseFixtureIntents } from '../artifacts/regress/intents-input.js';
import { renderJunit } from '../artifacts/regress/junit.js';
import { buildRegressResult, formatRegressResult, overallStatus, signRegressResult, topFailureReason } from '../artifacts/regress/result.js';
import type { GraderResult } from '../artifacts/regress/types.js';
import type { Runpack } from '../artifacts/runpack/types.js';
import type { SigningKey } from '../crypto/keys.js';
import { GaitError } from '../errors/error.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { GAIT_VERSION } from '../runtime/version.js';
import type { JsonObject } from '../schema/v1/json-types.js';

export type { GraderResult as RegressGraderResult } from '../artifacts/regress/types.js';

export interface RegressFixtureInput {
  /** the parsed `fixture.json` */
  readonly fixture: unknown;
  /** the fixture's `runpack.zip` */
  readonly runpack: Uint8Array;
  /** the text of `intents.jsonl`; absent when the fixture has none (it then fails `gate_replay`) */
  readonly intents?: string;
  /** the `candidate_runpack` bytes, for fixtures that name one */
  readonly candidateRunpack?: Uint8Array;
  /** replay this fixture under another policy than the one given to `runRegress` */
  readonly policy?: CompiledPolicy;
}

export interface RunRegressOptions {
  /** default `default` */
  readonly fixtureSet?: string;
  /** `producer_version` of the result; default this package's version */
  readonly producerVersion?: string;
  /** enforce context conformance for every fixture (`--context-conformance`) */
  readonly contextConformance?: boolean;
  /** accept runtime-only context drift (`--allow-context-runtime-drift`) */
  readonly allowContextRuntimeDrift?: boolean;
  /** sign the result record (artifacts.md §1.2) */
  readonly signingKey?: SigningKey;
}

export interface RegressReport {
  readonly status: 'pass' | 'fail';
  readonly fixtureSet: string;
  /** sorted by name (`<fixture>/<grader>`) */
  readonly graders: readonly GraderResult[];
  readonly failed: number;
  /** first reason of the first failing grader; '' when passing */
  readonly topFailureReason: string;
  /** the `gait.regress.result` record (with `signature` when a key was given) */
  readonly result: JsonObject;
  /** `regress_result.json` as written: 2-space JSON + newline */
  readonly resultText: string;
  /** the JUnit XML document */
  readonly junit: string;
}

function candidateOf(input: RegressFixtureInput, named: boolean, base: Runpack | undefined): CandidateLoad {
  if (!named) return { state: 'absent' };
  if (input.candidateRunpack === undefined) return { state: 'invalid_path', error: 'candidate_runpack bytes were not given' };
  const { load, runpack } = loadRunpackEvidence(input.candidateRunpack);
  if (!load.ok || runpack === undefined) return { state: 'invalid', error: load.ok ? 'candidate runpack did not read' : load.error };
  if (base === undefined) return { state: 'ok', evidence: load.evidence, diff: { ok: false, error: 'the fixture runpack did not read' } };
  return { state: 'ok', evidence: load.evidence, diff: { ok: true, value: diffForRegress(base, runpack) } };
}

/**
 * Replays and grades regress fixtures.
 * @param policy the current policy (`loadPolicy`); a fixture's own `policy` member wins
 * @param fixtures each fixture's files as bytes and text
 * @returns the report: status, graders, `top_failure_reason`, the result record and its text, JUnit XML
 * @throws GaitError `artifact_invalid` (`no fixtures configured`, a bad fixture.json, a runpack whose
 *   run id differs from the fixture's), `input_json`/`input_intent` (a bad intents.jsonl)
 * @example const report = runRegress(loadPolicy(yaml), [{ fixture, runpack, intents }]); report.status;
 */
export function runRegress(policy: CompiledPolicy, fixtures: readonly RegressFixtureInput[], options: RunRegressOptions = {}): RegressReport {
  if (fixtures.length === 0) throw new GaitError('artifact_invalid', 'no fixtures configured');
  const gradeOptions = { enforce: options.contextConformance === true, allowRuntimeDrift: options.allowContextRuntimeDrift === true };
  const results: GraderResult[] = [];
  let createdAt = '';
  fixtures.forEach((input, i) => {
    const fixture = parseFixture(input.fixture, `fixtures[${i}]`);
    const { load, runpack } = loadRunpackEvidence(input.runpack);
    if (load.ok && load.evidence.runId !== fixture.runId) {
      throw new GaitError('artifact_invalid', `regress fixture \`${fixture.name}\`: runpack has run_id \`${load.evidence.runId}\`, the fixture says \`${fixture.runId}\``);
    }
    if (createdAt === '' && load.ok) createdAt = load.evidence.createdAt;
    const lines = input.intents === undefined ? undefined : parseFixtureIntents(input.intents, `${fixture.name}/intents.jsonl`);
    const candidate = candidateOf(input, fixture.candidateRunpack !== undefined, runpack);
    results.push(...gradeFixture({ fixture, lines, runpack: load, candidate, policy: input.policy ?? policy }, gradeOptions));
  });
  const graders = sortGraderResults(results);
  const fixtureSet = effectiveFixtureSet({ fixtureSet: options.fixtureSet ?? '', policy: '', fixtures: [] });
  const unsigned = buildRegressResult({ createdAt, producerVersion: options.producerVersion ?? GAIT_VERSION, fixtureSet, graders });
  const result = options.signingKey === undefined ? unsigned : signRegressResult(unsigned, options.signingKey);
  return {
    status: overallStatus(graders),
    fixtureSet,
    graders,
    failed: graders.filter((g) => g.status === 'fail').length,
    topFailureReason: topFailureReason(graders),
    result,
    resultText: formatRegressResult(result),
    junit: renderJunit(fixtureSet, graders),
  };
}
