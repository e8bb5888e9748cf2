/** The regress model (artifacts.md §4): config, fixture, expectations and grader results. */
import type { JsonObject } from '../../schema/v1/json-types.js';

export const REGRESS_CONFIG_SCHEMA_ID = 'gait.regress.config';
export const REGRESS_FIXTURE_SCHEMA_ID = 'gait.regress.fixture';
export const REGRESS_RESULT_SCHEMA_ID = 'gait.regress.result';
export const REGRESS_SCHEMA_VERSION = '1.0.0';
export const DEFAULT_FIXTURE_SET = 'default';

/** Normalized expectation verdicts (§4.1): the four gate verdicts plus `error` (the intent could not be evaluated). */
export type ExpectedVerdict = 'allow' | 'block' | 'require_approval' | 'dry_run' | 'error';

/** One `fixtures:` entry of `gait.yaml`. */
export interface RegressConfigFixture {
  readonly name: string;
  readonly runId: string;
  /** relative to the config directory, e.g. `fixtures/<name>/runpack.zip` */
  readonly runpack: string;
}

/** `gait.yaml` (§4.1). */
export interface RegressConfig {
  /** '' = the default, `default` */
  readonly fixtureSet: string;
  /** '' = not set */
  readonly policy: string;
  readonly fixtures: readonly RegressConfigFixture[];
}

/** One `expected_decisions` entry of `fixture.json`. */
export interface ExpectedDecision {
  readonly intentId: string;
  readonly toolName: string;
  readonly argsDigest: string;
  readonly verdict: ExpectedVerdict;
  /** compared only when present */
  readonly reasonCodes?: readonly string[];
  readonly violations?: readonly string[];
  readonly intentDigest?: string;
}

export type ContextConformanceMode = 'required' | 'none';

/** `fixtures/<name>/fixture.json` (§4.1). Optional members are absent when unset. */
export interface Fixture {
  readonly name: string;
  readonly runId: string;
  /** relative to the fixture directory; `runpack.zip` */
  readonly runpack: string;
  /** relative to the fixture directory; `intents.jsonl` */
  readonly intents: string;
  readonly policy?: string;
  /** RFC 3339 text as written */
  readonly evaluationTime?: string;
  readonly baselinePolicyDigest?: string;
  readonly expectedDecisions: readonly ExpectedDecision[];
  readonly expectedReplayExitCode: number;
  readonly expectedToolSequence?: readonly string[];
  readonly expectedVerdictSequence?: readonly string[];
  readonly candidateRunpack?: string;
  readonly contextConformance?: ContextConformanceMode;
  readonly allowContextRuntimeDrift?: boolean;
  readonly expectedContextSetDigest?: string;
  readonly diffAllowChangedFiles?: readonly string[];
  readonly sessionChain?: string;
  readonly checkpointIndex?: number;
}

/** One line of `intents.jsonl`: `{"intent_id": …, "intent": <IntentRequest>}`. */
export interface FixtureIntentLine {
  readonly intentId: string;
  /** the IntentRequest as recorded (raw JSON; normalized at replay) */
  readonly intent: JsonObject;
}

export type GraderStatus = 'pass' | 'fail';

/** The graders of §4.3 step 3, in run order. */
export type GraderName = 'schema_validation' | 'expected_exit_code' | 'gate_replay' | 'trajectory' | 'diff' | 'context_conformance';

/** One grader's outcome before it is named `<fixture>/<grader>` (§4.3 step 4). */
export interface GraderOutcome {
  readonly grader: GraderName;
  readonly status: GraderStatus;
  readonly reasonCodes: readonly string[];
  readonly details: JsonObject;
  /** context_conformance only: the drift classification */
  readonly contextConformance?: string;
}

/** A finished grader result as written into `regress_result.json`. */
export interface GraderResult {
  /** `<fixture>/<grader>` */
  readonly name: string;
  readonly fixture: string;
  readonly grader: GraderName;
  readonly status: GraderStatus;
  /** sorted, unique; never null */
  readonly reasonCodes: readonly string[];
  readonly details: JsonObject;
  readonly contextConformance?: string;
}
