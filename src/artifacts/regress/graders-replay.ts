/**
 * The replay graders of artifacts.md §4.3: `gate_replay` (every recorded intent through the current
 * policy, compared with the fixture's expectations, §10) and `trajectory` (the replayed tool and
 * verdict sequences against the expected ones).
 */
import type { JsonObject } from '../../schema/v1/json-types.js';
import type { RunpackLoad } from './evidence.js';
import type { ReplayedDecision } from './replay.js';
import type { ExpectedDecision, Fixture, FixtureIntentLine, GraderOutcome } from './types.js';

/** One `intents.jsonl` line and its replayed decision. */
export interface ReplayedLine {
  readonly line: FixtureIntentLine;
  readonly decision: ReplayedDecision;
}

export interface GateReplayInput {
  readonly fixture: Fixture;
  /** undefined: the fixture has no `intents.jsonl` */
  readonly replayed: readonly ReplayedLine[] | undefined;
  readonly runpack: RunpackLoad;
  readonly policyDigest: string;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** Whether this fixture replays a session checkpoint runpack, whose records carry intent digests (§2.12). */
function isCheckpointFixture(f: Fixture): boolean {
  return f.checkpointIndex !== undefined || f.sessionChain !== undefined;
}

function evidenceMatches(recorded: string | undefined, d: ReplayedDecision, checkpoint: boolean): boolean {
  if (recorded === undefined) return false;
  const r = recorded.toLowerCase();
  return r === d.argsDigest || (checkpoint && r === d.intentDigest);
}

/** The mismatch reasons of one replayed decision against its expectation. */
function compareDecision(expected: ExpectedDecision, d: ReplayedDecision): string[] {
  const reasons: string[] = [];
  if (d.thrown) reasons.push('replay_error');
  if (d.verdict !== expected.verdict) reasons.push('unexpected_verdict');
  if (expected.reasonCodes !== undefined && !sameSet(expected.reasonCodes, d.reasonCodes)) reasons.push('unexpected_reason_codes');
  if (expected.violations !== undefined && !sameSet(expected.violations, d.violations)) reasons.push('unexpected_violations');
  if (expected.intentDigest !== undefined && expected.intentDigest !== d.intentDigest) reasons.push('intent_digest_changed');
  return reasons;
}

function decisionDetail(intentId: string, expected: ExpectedDecision, d: ReplayedDecision, mismatches: readonly string[]): JsonObject {
  const out: JsonObject = {
    intent_id: intentId,
    tool_name: d.toolName,
    expected_verdict: expected.verdict,
    actual_verdict: d.verdict,
    actual_reason_codes: [...d.reasonCodes],
    intent_digest: d.intentDigest,
  };
  if (mismatches.length > 0) out['mismatches'] = [...mismatches];
  if (d.error !== '') out['error'] = d.error;
  return out;
}

/** `gate_replay` (§4.3). Passes only when at least one replayed intent matched its expectation. */
export function gradeGateReplay(input: GateReplayInput): GraderOutcome {
  const { fixture } = input;
  const details: JsonObject = { policy_digest: input.policyDigest, baseline_policy_digest: fixture.baselinePolicyDigest ?? '' };
  const replayed = input.replayed ?? [];
  if (replayed.length === 0) {
    details['decisions'] = [];
    return { grader: 'gate_replay', status: 'fail', reasonCodes: ['fixture_intents_missing'], details };
  }
  const reasons = new Set<string>();
  const expectations = new Map(fixture.expectedDecisions.map((d) => [d.intentId, d]));
  const lineIds = new Set(replayed.map((r) => r.line.intentId));
  for (const id of expectations.keys()) if (!lineIds.has(id)) reasons.add('fixture_intent_missing');
  const recorded = new Map<string, string>();
  if (input.runpack.ok) for (const i of input.runpack.evidence.intents) if (!recorded.has(i.intentId)) recorded.set(i.intentId, i.argsDigest);
  const checkpoint = isCheckpointFixture(fixture);
  const decisions: JsonObject[] = [];
  let matched = 0;
  for (const { line, decision } of replayed) {
    const expected = expectations.get(line.intentId);
    if (expected === undefined) {
      reasons.add('fixture_expectation_missing');
      continue;
    }
    const mismatches = compareDecision(expected, decision);
    if (input.runpack.ok && !evidenceMatches(recorded.get(line.intentId), decision, checkpoint)) mismatches.push('fixture_evidence_mismatch');
    for (const m of mismatches) reasons.add(m);
    if (mismatches.length === 0) matched += 1;
    decisions.push(decisionDetail(line.intentId, expected, decision, mismatches));
  }
  details['decisions'] = decisions;
  // INVARIANT (§4.3): a fixture never passes without one replayed intent matching its expectation.
  if (matched === 0 && reasons.size === 0) reasons.add('fixture_expectation_missing');
  if (reasons.size === 0) return { grader: 'gate_replay', status: 'pass', reasonCodes: ['gate_replay_match'], details };
  return { grader: 'gate_replay', status: 'fail', reasonCodes: [...reasons], details };
}

const MISSING = '<missing>';

/** Index of the first difference between two sequences, or -1. */
function mismatchIndex(expected: readonly string[], actual: readonly string[]): number {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i += 1) if (expected[i] !== actual[i]) return i;
  return -1;
}

/** `trajectory` (§4.3): each expected sequence is compared only when non-empty. */
export function gradeTrajectory(fixture: Fixture, replayed: readonly ReplayedLine[] | undefined): GraderOutcome {
  const lines = replayed ?? [];
  const checks = [
    ['unexpected_tool_sequence', fixture.expectedToolSequence ?? [], lines.map((r) => r.decision.toolName)],
    ['unexpected_verdict_sequence', fixture.expectedVerdictSequence ?? [], lines.map((r) => r.decision.verdict)],
  ] as const;
  const required = checks.filter(([, expected]) => expected.length > 0);
  if (required.length === 0) return { grader: 'trajectory', status: 'pass', reasonCodes: ['trajectory_not_required'], details: {} };
  const reasons: string[] = [];
  let details: JsonObject = {};
  for (const [reason, expected, actual] of required) {
    const at = mismatchIndex(expected, actual);
    if (at < 0) continue;
    if (reasons.length === 0) details = { mismatch_index: at, expected: expected[at] ?? MISSING, actual: actual[at] ?? MISSING };
    reasons.push(reason);
  }
  const thrown = lines.findIndex((r) => r.decision.thrown);
  if (thrown >= 0) {
    if (reasons.length === 0) details = { thrown_index: thrown, error: lines[thrown]!.decision.error };
    reasons.push('replay_error');
  }
  if (reasons.length === 0) return { grader: 'trajectory', status: 'pass', reasonCodes: ['trajectory_match'], details: {} };
  return { grader: 'trajectory', status: 'fail', reasonCodes: reasons, details };
}
