/**
 * One conformance runner for every surface (STYLE.md §5, "one corpus, every implementation"; the
 * pattern of hono's `src/router/common.case.test.ts`): `runConformance(name, adapter, options)` runs
 * every scenario of `scenarios/` (loaded and validated by `corpus.ts`) through one surface and asserts
 * exit code, verdict, reason codes, violations, matched rule, approvals, digests and the signed trace
 * against the literal values in the scenario's `expected.yaml`.
 *
 * Plugging in a new surface (HTTP, MCP proxy, ...):
 *   1. Write `test/conformance/<surface>.test.ts` with an adapter `(scenario) => Promise<SurfaceResult>`.
 *      The adapter feeds `scenario.policyText`/`intentText` (or the file paths) to the surface, uses
 *      `scenario.evaluationTime ?? CORPUS_NOW` as the evaluation time, and translates the answer back:
 *      `exitCode` is the exit code the spec table gives for the outcome (an HTTP or MCP surface maps its
 *      own status the same way: a verdict through `SPEC_EXIT_FOR_VERDICT`, an invalid-input error to 6)
 *      and `errorCode` is the gait error-registry code of a refusal. Report a `trace` whenever the
 *      surface emitted a signed trace; say how you verified it.
 *   2. Call `runConformance('<surface>', adapter, { layer, failClosedInvalidIntent, traces })`:
 *      - `layer: 'decision'` when the surface returns the §A5 evaluation outcome as is (library
 *        `evaluateRaw`); `'gate_eval'` when it runs the §A12.3 pipeline, whose approval step without a
 *        token (§A9.6) adds `approval_token_missing` / `approval_not_granted` to a `require_approval`
 *        outcome and reports `required_approvals` = max(min_approvals, 1).
 *      - `failClosedInvalidIntent`: §A5.2 step 2 — `'block_decision'` if the surface returns the
 *        `block` outcome (the library), `'refusal'` if it reports invalid input (exit 6, `gate eval`).
 *      - `traces: 'required'` if every evaluated scenario must come with a verified trace.
 *   3. Nothing else: a new scenario folder runs through every surface without touching any test file.
 *
 * Skips: `options.skip` maps a scenario name to a written reason (at least a sentence, e.g. the bug:
 * file, input, expected per spec, actual). The runner rejects unknown names and empty reasons, and
 * node:test prints the reason next to the skipped case. A surface that cannot report some field at
 * all (say, an MCP result without `matched_rule`) lists it in `options.omits` with a reason instead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario, Verdict } from './corpus.js';
import { compareCodePoints, loadCorpus, SPEC_EXIT_FOR_VERDICT, SPEC_EXIT_INVALID_INPUT } from './corpus.js';

export type { Expected, Scenario, Verdict } from './corpus.js';
export { compareCodePoints, CORPUS_NOW, loadCorpus, SPEC_EXIT_FOR_VERDICT, SPEC_EXIT_INVALID_INPUT, validateExpected } from './corpus.js';

/** What a surface observed about the signed trace it emitted. */
export interface TraceObservation {
  /** the trace verified (schema + signature, gate.md §A12.5) with the surface's public key */
  readonly verified: boolean;
  /** why verification failed ('' when verified) */
  readonly detail: string;
  /** the trace's `verdict` member */
  readonly verdict: string;
  /** the trace's `violations` member (`[]` when omitted) */
  readonly violations: readonly string[];
}

/** One surface's answer for one scenario; fields the surface did not report stay undefined. */
export interface SurfaceResult {
  readonly exitCode: number;
  readonly verdict?: string | undefined;
  readonly reasonCodes?: readonly string[] | undefined;
  readonly violations?: readonly string[] | undefined;
  readonly matchedRule?: string | undefined;
  readonly errorCode?: string | undefined;
  /** decision `min_approvals` (layer `decision`) or `required_approvals` (layer `gate_eval`) */
  readonly minApprovals?: number | undefined;
  readonly policyDigest?: string | undefined;
  readonly intentDigest?: string | undefined;
  readonly trace?: TraceObservation | undefined;
}

export type SurfaceAdapter = (scenario: Scenario) => Promise<SurfaceResult>;

/** Fields a surface may declare it never reports (with a reason). */
export type OptionalField = 'matchedRule' | 'minApprovals' | 'digests';

export interface SurfaceOptions {
  readonly layer: 'decision' | 'gate_eval';
  readonly failClosedInvalidIntent: 'block_decision' | 'refusal';
  readonly traces: 'required' | 'none';
  readonly omits?: Readonly<Partial<Record<OptionalField, string>>>;
  /** scenario name -> written reason */
  readonly skip?: Readonly<Record<string, string>>;
  /** run only these scenarios (a subset surface, such as the spawned binary) */
  readonly only?: readonly string[];
}

/** gate.md §A9.6, no token presented: the reason and violation the approval step adds. */
const APPROVAL_TOKEN_MISSING = 'approval_token_missing';
const APPROVAL_NOT_GRANTED = 'approval_not_granted';

const MIN_REASON_LENGTH = 20;

/** What one surface must report for one scenario, derived from `expected.yaml` and the surface's layer. */
export interface Expectation {
  readonly exitCode: number;
  readonly verdict?: Verdict;
  readonly reasonCodes?: readonly string[];
  readonly violations?: readonly string[];
  readonly matchedRule?: string;
  readonly errorCode?: string;
  readonly minApprovals?: number;
  readonly policyDigest?: string;
  readonly intentDigest?: string;
  /** whether a trace must (or must not) have been emitted; undefined when the surface emits none */
  readonly trace: 'present' | 'absent' | undefined;
}

function sortedUnion(items: readonly string[], extra: string): string[] {
  return [...new Set([...items, extra])].sort(compareCodePoints);
}

function evaluatedExpectation(scenario: Scenario, options: SurfaceOptions): Expectation {
  const e = scenario.expected;
  const verdict = e.verdict as Verdict;
  // gate.md §A9.6: the gate_eval pipeline runs its approval step (no token) on a require_approval outcome.
  const approvalStep = options.layer === 'gate_eval' && verdict === 'require_approval';
  const minApprovals = e.minApprovals !== undefined && approvalStep ? Math.max(e.minApprovals, 1) : e.minApprovals;
  return {
    exitCode: e.exitCode,
    verdict,
    reasonCodes: approvalStep ? sortedUnion(e.reasonCodes ?? [], APPROVAL_TOKEN_MISSING) : (e.reasonCodes ?? []),
    violations: approvalStep ? sortedUnion(e.violations ?? [], APPROVAL_NOT_GRANTED) : (e.violations ?? []),
    ...(e.matchedRule === undefined || options.omits?.matchedRule !== undefined ? {} : { matchedRule: e.matchedRule }),
    ...(minApprovals === undefined || options.omits?.minApprovals !== undefined ? {} : { minApprovals }),
    ...(options.omits?.digests !== undefined || e.policyDigest === undefined ? {} : { policyDigest: e.policyDigest }),
    ...(options.omits?.digests !== undefined || e.intentDigest === undefined ? {} : { intentDigest: e.intentDigest }),
    trace: options.traces === 'required' ? 'present' : undefined,
  };
}

/** The literal expectation for one surface: the layer decides approval-step codes, the options refusals. */
export function expectationFor(scenario: Scenario, options: SurfaceOptions): Expectation {
  const e = scenario.expected;
  const noTrace = options.traces === 'required' ? 'absent' : undefined;
  if (e.exitCode !== SPEC_EXIT_INVALID_INPUT) return evaluatedExpectation(scenario, options);
  if (e.libraryVerdict !== undefined && options.failClosedInvalidIntent === 'block_decision') {
    // gate.md §A5.2 step 2: the library returns the fail-closed block; with no intent digest there is no trace.
    return {
      exitCode: SPEC_EXIT_FOR_VERDICT[e.libraryVerdict],
      verdict: e.libraryVerdict,
      reasonCodes: e.reasonCodes ?? [],
      violations: e.violations ?? [],
      trace: noTrace,
    };
  }
  return { exitCode: e.exitCode, errorCode: e.errorCode as string, trace: noTrace };
}

/** The part of a surface result that the expectation covers, with the same keys, for one deepEqual. */
function observedView(result: SurfaceResult, expectation: Expectation): Record<string, unknown> {
  const view: Record<string, unknown> = { exitCode: result.exitCode };
  if (expectation.errorCode !== undefined) {
    view['errorCode'] = result.errorCode;
    view['verdict'] = result.verdict;
    return view;
  }
  view['verdict'] = result.verdict;
  view['reasonCodes'] = result.reasonCodes;
  view['violations'] = result.violations;
  for (const key of ['matchedRule', 'minApprovals', 'policyDigest', 'intentDigest'] as const) {
    if (expectation[key] !== undefined) view[key] = result[key];
  }
  return view;
}

function expectedView(expectation: Expectation): Record<string, unknown> {
  const { trace: _trace, ...rest } = expectation;
  if (expectation.errorCode !== undefined) return { ...rest, verdict: undefined };
  return { ...rest };
}

function assertTrace(result: SurfaceResult, expectation: Expectation, label: string): void {
  if (expectation.trace === undefined) return;
  if (expectation.trace === 'absent') {
    assert.equal(result.trace, undefined, `${label}: no trace may be written for this outcome (gate.md §A5.2 step 2)`);
    return;
  }
  const trace = result.trace;
  assert.ok(trace !== undefined, `${label}: the surface emitted no trace`);
  assert.equal(trace.detail, '', `${label}: trace verification failed`);
  assert.equal(trace.verified, true, `${label}: trace did not verify`);
  assert.equal(trace.verdict, expectation.verdict, `${label}: trace verdict (gate.md §A7.1: the final verdict)`);
  assert.deepEqual(trace.violations, expectation.violations, `${label}: trace violations (gate.md §A7.1: final violations)`);
}

function checkOptions(surfaceName: string, scenarios: readonly Scenario[], options: SurfaceOptions): void {
  const names = new Set(scenarios.map((s) => s.name));
  const problems: string[] = [];
  for (const [name, reason] of Object.entries(options.skip ?? {})) {
    if (!names.has(name)) problems.push(`skip names unknown scenario \`${name}\``);
    if (reason.trim().length < MIN_REASON_LENGTH) problems.push(`skip of \`${name}\` needs a written reason`);
  }
  for (const name of options.only ?? []) if (!names.has(name)) problems.push(`only names unknown scenario \`${name}\``);
  for (const [field, reason] of Object.entries(options.omits ?? {})) {
    if (reason.trim().length < MIN_REASON_LENGTH) problems.push(`omits.${field} needs a written reason`);
  }
  if (problems.length > 0) throw new Error(`runConformance(${surfaceName}): ${problems.join('; ')}`);
}

/**
 * Registers one node:test suite that runs the corpus through `adapter`.
 * @throws Error at registration when the corpus or the options are invalid (unknown skip names, empty reasons)
 */
export function runConformance(surfaceName: string, adapter: SurfaceAdapter, options: SurfaceOptions, scenarios: readonly Scenario[] = loadCorpus()): void {
  checkOptions(surfaceName, scenarios, options);
  const selected = options.only === undefined ? scenarios : scenarios.filter((s) => options.only?.includes(s.name));
  describe(`conformance: ${surfaceName}`, () => {
    for (const scenario of selected) {
      const skip = options.skip?.[scenario.name];
      it(scenario.name, skip === undefined ? {} : { skip }, async () => {
        const label = `${surfaceName} / ${scenario.name} (${scenario.readme.split('\n')[0] ?? ''})`;
        const expectation = expectationFor(scenario, options);
        const result = await adapter(scenario);
        assert.deepEqual(observedView(result, expectation), expectedView(expectation), label);
        assertTrace(result, expectation, label);
      });
    }
  });
}
