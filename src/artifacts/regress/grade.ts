/**
 * Grading one fixture (artifacts.md §4.3 steps 3–4): replay its intents once, run the graders in
 * order, turn a grader that throws into `fail` with `grader_error`, and name the results
 * `<fixture>/<grader>` with sorted unique reason codes and `fixture`/`run_id` in the details.
 */
import type { CompiledPolicy } from '../../policy/compile.js';
import { parseTimestamp } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { compareCodePoints } from '../../schema/v1/text.js';
import type { CandidateLoad } from './candidate.js';
import type { RunpackLoad } from './evidence.js';
import { gradeExpectedExitCode, gradeSchemaValidation } from './graders-evidence.js';
import { contextGraderApplies, gradeContextConformance, gradeDiff } from './graders-context.js';
import type { ContextOptions } from './graders-context.js';
import { gradeGateReplay, gradeTrajectory } from './graders-replay.js';
import type { ReplayedLine } from './graders-replay.js';
import { replayIntent } from './replay.js';
import type { Fixture, FixtureIntentLine, GraderName, GraderOutcome, GraderResult } from './types.js';

/** Everything one fixture needs, already read from disk. */
export interface FixtureInput {
  readonly fixture: Fixture;
  /** undefined: no `intents.jsonl` in the fixture directory */
  readonly lines: readonly FixtureIntentLine[] | undefined;
  readonly runpack: RunpackLoad;
  readonly candidate: CandidateLoad;
  /** the policy this fixture replays under (§4.3 step 2) */
  readonly policy: CompiledPolicy;
}

export type GradeOptions = ContextOptions;

/** Replays every intent line once; shared by `gate_replay` and `trajectory`. */
export function replayLines(policy: CompiledPolicy, lines: readonly FixtureIntentLine[] | undefined, at: Timestamp | undefined): ReplayedLine[] | undefined {
  return lines?.map((line) => ({ line, decision: replayIntent(policy, line.intent, at) }));
}

function guarded(grader: GraderName, run: () => GraderOutcome): GraderOutcome {
  try {
    return run();
  } catch (err) {
    return { grader, status: 'fail', reasonCodes: ['grader_error'], details: { error: err instanceof Error ? err.message : String(err) } };
  }
}

function finish(fixture: Fixture, outcome: GraderOutcome): GraderResult {
  const reasonCodes = [...new Set(outcome.reasonCodes)].sort(compareCodePoints);
  return {
    name: `${fixture.name}/${outcome.grader}`,
    fixture: fixture.name,
    grader: outcome.grader,
    status: outcome.status,
    reasonCodes,
    details: { ...outcome.details, fixture: fixture.name, run_id: fixture.runId },
    ...(outcome.contextConformance === undefined ? {} : { contextConformance: outcome.contextConformance }),
  };
}

/**
 * Runs the graders of one fixture in §4.3 order.
 * @returns the named grader results (not yet sorted across fixtures)
 */
export function gradeFixture(input: FixtureInput, options: GradeOptions): GraderResult[] {
  const { fixture, runpack, candidate } = input;
  const outcomes: GraderOutcome[] = [
    guarded('schema_validation', () => gradeSchemaValidation(runpack)),
    guarded('expected_exit_code', () => gradeExpectedExitCode(runpack, fixture)),
  ];
  let replayed: ReplayedLine[] | undefined;
  let replayError: unknown;
  try {
    const at = fixture.evaluationTime === undefined ? undefined : parseTimestamp(fixture.evaluationTime);
    replayed = replayLines(input.policy, input.lines, at);
  } catch (err) {
    replayError = err;
  }
  const afterReplay = (run: () => GraderOutcome) => (): GraderOutcome => {
    if (replayError !== undefined) throw replayError;
    return run();
  };
  outcomes.push(guarded('gate_replay', afterReplay(() => gradeGateReplay({ fixture, replayed, runpack, policyDigest: input.policy.digest }))));
  outcomes.push(guarded('trajectory', afterReplay(() => gradeTrajectory(fixture, replayed))));
  if (fixture.candidateRunpack !== undefined) outcomes.push(guarded('diff', () => gradeDiff(fixture, candidate)));
  if (contextGraderApplies(fixture, options)) {
    outcomes.push(guarded('context_conformance', () => gradeContextConformance(fixture, runpack, candidate, options)));
  }
  return outcomes.map((o) => finish(fixture, o));
}

/** All results sorted by name (§4.3 step 4). */
export function sortGraderResults(results: readonly GraderResult[]): GraderResult[] {
  return [...results].sort((a, b) => compareCodePoints(a.name, b.name));
}
