/**
 * The conformance corpus through the decision service of `gait mcp serve` (mcp-and-export.md §5),
 * in-process over its fetch handler: per scenario a service over the scenario's `policy.yaml`
 * (clock fixed at the scenario's evaluation time), one `POST /v1/evaluate` with the scenario's
 * IntentRequest as `intent` (the request extension for ready intents), the signed trace read back
 * from `trace_path` and verified with `verifyTrace` after a JSON round trip.
 *
 * HTTP → spec exit code (literals, as the runner asks): 200 → the verdict's exit code
 * (`SPEC_EXIT_FOR_VERDICT`), 400/413/415 → 6, 422 → 2, 409/500/503 → 1; the body's `exit_code` must
 * agree. A policy the service refuses to load is the startup refusal of `mcp serve` (exit 6).
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyTrace } from '../../src/artifacts/trace/verify.js';
import { isGaitError } from '../../src/errors/error.js';
import { fixedClock } from '../../src/runtime/clock.js';
import { parseTimestamp, toUtc } from '../../src/runtime/timestamp.js';
import { createDecisionService } from '../../src/transports/http/app.js';
import type { DecisionService } from '../../src/transports/http/app.js';
import { SERVE_KEY, SERVE_VERIFY_KEY } from '../helpers/serve-fixture.js';
import type { Scenario, SurfaceResult, TraceObservation } from './run.js';
import { CORPUS_NOW, runConformance, SPEC_EXIT_FOR_VERDICT } from './run.js';

const root = mkdtempSync(join(tmpdir(), 'gait-conformance-http-'));
after(() => rmSync(root, { recursive: true, force: true }));

const EXIT_FOR_STATUS: Readonly<Record<number, number>> = { 400: 6, 413: 6, 415: 6, 422: 2, 409: 1, 500: 1, 503: 1 };

/** gate.md §A13 category → exit, as literals (a service that refuses its policy at startup). */
const EXIT_FOR_CATEGORY: Readonly<Record<string, number>> = { invalid_input: 6, verification_failed: 2, dependency_missing: 7, unsafe_blocked: 8 };

function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}

function observeTrace(cwd: string, body: Record<string, unknown>): TraceObservation | undefined {
  const path = body['trace_path'];
  if (typeof path !== 'string' || path === '') return undefined;
  const record = JSON.parse(readFileSync(join(cwd, path), 'utf8')) as Record<string, unknown>;
  assert.equal(record['trace_id'], body['trace_id'], 'the trace file carries the reported trace_id');
  const report = verifyTrace(record, SERVE_VERIFY_KEY);
  return { verified: report.ok, detail: report.error, verdict: String(record['verdict']), violations: strings(record['violations']) };
}

function start(scenario: Scenario, cwd: string): DecisionService {
  return createDecisionService({
    policyPath: scenario.policyPath,
    cwd,
    signingKey: SERVE_KEY,
    clock: fixedClock(toUtc(parseTimestamp(scenario.evaluationTime ?? CORPUS_NOW))),
    traceDir: 'traces',
    watchPolicy: false,
  });
}

async function httpSurface(scenario: Scenario): Promise<SurfaceResult> {
  const cwd = mkdtempSync(join(root, `${scenario.name}-`));
  let service: DecisionService;
  try {
    service = start(scenario, cwd);
  } catch (err) {
    if (!isGaitError(err)) throw err;
    return { exitCode: EXIT_FOR_CATEGORY[err.category] ?? 1, errorCode: err.code };
  }
  try {
    // The intent text goes in verbatim, so a syntax error in it is the request's syntax error.
    const res = await service.fetch(
      new Request('http://127.0.0.1:8787/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"intent":${scenario.intentText}}` }),
    );
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) {
      const exitCode = EXIT_FOR_STATUS[res.status] ?? -1;
      assert.equal(body['exit_code'], exitCode, `HTTP ${res.status}: exit_code in the error body`);
      assert.equal(body['ok'], false);
      return { exitCode, errorCode: typeof body['error_reason'] === 'string' ? body['error_reason'] : undefined };
    }
    const verdict = String(body['verdict']) as keyof typeof SPEC_EXIT_FOR_VERDICT;
    assert.equal(body['exit_code'], SPEC_EXIT_FOR_VERDICT[verdict], 'exit_code agrees with the verdict');
    return {
      exitCode: SPEC_EXIT_FOR_VERDICT[verdict],
      verdict,
      reasonCodes: strings(body['reason_codes']),
      violations: strings(body['violations']),
      matchedRule: strings(body['matched_rule_ids'])[0] ?? '',
      policyDigest: typeof body['policy_digest'] === 'string' ? body['policy_digest'] : undefined,
      intentDigest: typeof body['intent_digest'] === 'string' ? body['intent_digest'] : undefined,
      trace: observeTrace(cwd, body),
    };
  } finally {
    await service.close();
  }
}

runConformance('http mcp serve (in-process)', httpSurface, {
  layer: 'gate_eval',
  failClosedInvalidIntent: 'refusal',
  traces: 'required',
  omits: { minApprovals: 'the §4/§5.7 output has no required_approvals member; approvals are the gate eval surface' },
});
