/**
 * The conformance corpus through the public library API (`src/index.ts`; gate.md §A5, §A12.3):
 * `loadPolicy`, then
 *   - `evaluate` alone (layer `decision`: the §A5 outcome as is), and
 *   - `evaluate` + `gateEval` (layer `gate_eval`: approval step without a token, signed trace),
 *     where every trace is verified with `verifyTrace` after a JSON round trip, as a file reader sees it.
 * Exit codes come from the spec tables (literals in `corpus.ts` and below), never from `src/`.
 * Under fail-closed an unnormalizable intent is a `block` decision here (gate.md §A5.2 step 2,
 * `library_verdict`), while `gate eval` refuses it with exit 6.
 */
import { createHash } from 'node:crypto';
import type { ErrorCategory } from '../../src/errors/codes.js';
import { evaluate, fixedClock, gateEval, GaitError, isGaitError, loadPolicy, parseTimestamp, verifyKeyOf, verifyTrace } from '../../src/index.js';
import type { CompiledPolicy, Decision, Timestamp } from '../../src/index.js';
import { signingKeyFromSeed } from '../../src/crypto/keys.js';
import { toUtc } from '../../src/runtime/timestamp.js';
import { TEST_NOW } from '../helpers/cli-io.js';
import type { Scenario, SurfaceResult, TraceObservation } from './run.js';
import { CORPUS_NOW, runConformance, SPEC_EXIT_FOR_VERDICT } from './run.js';

/** A deterministic test signing key: the seed is SHA-256 of a fixed label. */
const SIGNING_KEY = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait conformance signing key v1').digest()));
const VERIFY_KEY = verifyKeyOf(SIGNING_KEY);

/** gate.md §A13 (STYLE.md §4): exit code per error category, as literals. */
const SPEC_EXIT_FOR_CATEGORY: Readonly<Record<ErrorCategory, number>> = {
  internal_failure: 1,
  io_failure: 1,
  state_contention: 1,
  network_transient: 1,
  network_permanent: 1,
  verification_failed: 2,
  invalid_input: 6,
  dependency_missing: 7,
  unsafe_blocked: 8,
};

function evaluationTimeOf(scenario: Scenario): Timestamp {
  return toUtc(parseTimestamp(scenario.evaluationTime ?? CORPUS_NOW));
}

function compile(scenario: Scenario): CompiledPolicy {
  return loadPolicy(scenario.policyText, { file: 'policy.yaml' });
}

function rawIntent(scenario: Scenario): unknown {
  try {
    return JSON.parse(scenario.intentText) as unknown;
  } catch (err) {
    // What the CLI's JSON reader reports for a syntax error (src/storage/read-input.ts).
    throw new GaitError('input_json', `intent.json: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A thrown GaitError becomes the exit code of its category and its registry code; anything else fails the test. */
function refusal(err: unknown): SurfaceResult {
  if (!isGaitError(err)) throw err;
  return { exitCode: SPEC_EXIT_FOR_CATEGORY[err.category], errorCode: err.code };
}

function decisionResult(d: Decision): SurfaceResult {
  return {
    exitCode: SPEC_EXIT_FOR_VERDICT[d.verdict],
    verdict: d.verdict,
    reasonCodes: d.reasonCodes,
    violations: d.violations,
    matchedRule: d.matchedRule,
    minApprovals: d.minApprovals,
    policyDigest: d.policyDigest,
    ...(d.intentDigest === '' ? {} : { intentDigest: d.intentDigest }),
  };
}

async function evaluateSurface(scenario: Scenario): Promise<SurfaceResult> {
  await Promise.resolve();
  try {
    return decisionResult(evaluate(compile(scenario), rawIntent(scenario), { evaluationTime: evaluationTimeOf(scenario) }));
  } catch (err) {
    return refusal(err);
  }
}

function observeTrace(trace: Readonly<Record<string, unknown>>): TraceObservation {
  // Verify what a reader of the trace file would see: the record after a JSON round trip.
  const record = JSON.parse(JSON.stringify(trace)) as unknown;
  const report = verifyTrace(record, VERIFY_KEY);
  const violations = trace['violations'];
  return {
    verified: report.ok && report.signatureStatus === 'verified',
    detail: report.error,
    verdict: String(trace['verdict']),
    violations: Array.isArray(violations) ? (violations as string[]) : [],
  };
}

async function gateEvalSurface(scenario: Scenario): Promise<SurfaceResult> {
  await Promise.resolve();
  try {
    const compiled = compile(scenario);
    const raw = rawIntent(scenario);
    const evaluationTime = evaluationTimeOf(scenario);
    const decision = evaluate(compiled, raw, { evaluationTime });
    // §A5.2 step 2: an intent that cannot be prepared has no digest, so there is nothing to sign.
    if (decision.intent === undefined) return decisionResult(decision);
    const result = gateEval(compiled, raw, {
      evaluationTime,
      clock: fixedClock(TEST_NOW),
      signingKey: SIGNING_KEY,
      producerVersion: '0.0.0-conformance',
      correlationId: 'cid-conformance',
    });
    return {
      exitCode: SPEC_EXIT_FOR_VERDICT[result.verdict],
      verdict: result.verdict,
      reasonCodes: result.reasonCodes,
      violations: result.violations,
      matchedRule: result.decision.matchedRule,
      minApprovals: result.requiredApprovals,
      policyDigest: result.decision.policyDigest,
      intentDigest: result.decision.intentDigest,
      trace: observeTrace(result.trace),
    };
  } catch (err) {
    return refusal(err);
  }
}

runConformance('library evaluate', evaluateSurface, { layer: 'decision', failClosedInvalidIntent: 'block_decision', traces: 'none' });

runConformance('library gateEval', gateEvalSurface, { layer: 'gate_eval', failClosedInvalidIntent: 'block_decision', traces: 'required' });
