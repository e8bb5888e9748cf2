/**
 * Figures 1–3: in-process operations, each against a baseline timed in the same rounds.
 * 1. `evaluate` (pre-compiled policy, pre-normalized intent) vs Cedar `statefulIsAuthorized`;
 * 2. `runGateEval` (evaluate + trace + sign) vs bare Ed25519 signing of 32 bytes;
 * 3. `verifyTrace` over a parsed signed trace vs bare Ed25519 verification of 32 bytes.
 */
import { createHash, sign, verify } from 'node:crypto';
import { runGateEval } from '../src/artifacts/gate/gate-eval.js';
import type { GateEvalOptions } from '../src/artifacts/gate/gate-eval.js';
import { verifyTrace } from '../src/artifacts/trace/verify.js';
import { evaluate, evaluateRaw } from '../src/policy/evaluate.js';
import { systemClock } from '../src/runtime/clock.js';
import { assertCedarEquivalent, cedarDecide, describeAnswer, preparseCedarPolicies, toCedarCall } from './cedar.js';
import { measure } from './measure.js';
import type { MeasureOptions, OpStats } from './measure.js';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { sig, grouped } from './stats.js';
import { EXPECTED } from './workloads.js';
import type { Workload } from './workloads.js';

function row(figure: string, role: Row['role'], s: OpStats): Row {
  return { figure, operation: s.name, role, p50: s.p50Us, mean: s.meanUs, unit: 'µs', opsPerSec: s.opsPerSec, samples: s.samples };
}

function opText(label: string, s: OpStats): string {
  return `${label} p50=${sig(s.p50Us)}µs ops/s=${grouped(s.opsPerSec)}`;
}

function get(stats: Map<string, OpStats>, name: string): OpStats {
  const s = stats.get(name);
  if (s === undefined) throw new Error(`no figures for \`${name}\``);
  return s;
}

/** 32 fixed bytes, standing in for the SHA-256 digest a gait signature covers. */
const DIGEST32 = createHash('sha256').update('gait bench').digest();

/** Figure 1: typical evaluation vs Cedar. */
export function evaluateFigure(w: Workload, options: MeasureOptions): FigureResult {
  preparseCedarPolicies();
  const call = toCedarCall(w.intent);
  assertCedarEquivalent(call);
  const evalOptions = { evaluationTime: w.evaluationTime };
  const raw = evaluateRaw(w.compiled, w.rawIntent, evalOptions);
  if (raw.verdict !== EXPECTED.verdict) throw new Error(`evaluateRaw: unexpected verdict ${raw.verdict}`);
  const ours = 'gait evaluate (normalized intent)';
  const variant = 'gait normalizeIntent + evaluate (raw JSON)';
  const baseline = 'cedar statefulIsAuthorized (pre-parsed)';
  const stats = measure(
    'figure 1 evaluate',
    [
      [ours, () => evaluate(w.compiled, w.intent, evalOptions)],
      [variant, () => evaluateRaw(w.compiled, w.rawIntent, evalOptions)],
      [baseline, () => cedarDecide(call)],
    ],
    options,
  );
  const o = get(stats, ours);
  const v = get(stats, variant);
  const b = get(stats, baseline);
  const speedup = check('cedar p50 / evaluate p50', b.p50Us / o.p50Us, '×', { min: 5 });
  const speedupRaw = check('cedar p50 / (normalize + evaluate) p50', b.p50Us / v.p50Us, '×');
  const p50 = check('evaluate p50', o.p50Us, 'µs', { max: 10 });
  const throughput = check('evaluate ops/s ÷ cedar ops/s', o.opsPerSec / b.opsPerSec, '×');
  return {
    id: 'evaluate',
    title: 'typical evaluation vs Cedar',
    summary:
      `${opText('evaluate', o)} | ${opText('+normalize', v)} | ${opText('cedar', b)} | ` +
      `ratio ${sig(speedup.value)}× on p50, ${sig(throughput.value)}× on ops/s (target ≥5×) ${speedup.verdict}; ` +
      `p50 ${sig(o.p50Us)}µs (target ≤10µs) ${p50.verdict}`,
    checks: [speedup, p50, throughput, speedupRaw],
    rows: [row('1', 'ours', o), row('1', 'variant', v), row('1', 'baseline', b)],
    details: { ours: o, variant: v, baseline: b, cedarDecision: describeAnswer(cedarDecide(call)) },
  };
}

function gateEvalOptions(w: Workload): GateEvalOptions {
  return {
    evaluationTime: w.evaluationTime,
    clock: systemClock,
    signingKey: w.signingKey,
    producerVersion: '0.0.0-bench',
    correlationId: 'bench-correlation-id',
    simulate: false,
  };
}

/** Figure 2: signed decision throughput vs bare Ed25519 signing. */
export function signedDecisionFigure(w: Workload, options: MeasureOptions): FigureResult {
  const gateOptions = gateEvalOptions(w);
  const first = runGateEval(w.compiled, w.intent, gateOptions);
  if (first.verdict !== EXPECTED.verdict || !verifyTrace(first.trace, w.verifyKey).ok) throw new Error('runGateEval: unexpected result');
  const privateKey = w.signingKey.privateKey;
  const ours = 'gait runGateEval (evaluate + trace + sign)';
  const baseline = 'node:crypto ed25519 sign(32 bytes)';
  const stats = measure(
    'figure 2 signed decision',
    [
      [ours, () => runGateEval(w.compiled, w.intent, gateOptions)],
      [baseline, () => sign(null, DIGEST32, privateKey)],
    ],
    options,
  );
  const o = get(stats, ours);
  const b = get(stats, baseline);
  const ratio = check('signed decisions/s ÷ ed25519 signs/s', o.opsPerSec / b.opsPerSec, '×', { min: 0.6 });
  return {
    id: 'signed_decision',
    title: 'signed decision vs Ed25519 sign',
    summary: `${opText('runGateEval', o)} | ${opText('ed25519 sign', b)} | ratio ${sig(ratio.value)}× (target ≥0.6×) ${ratio.verdict}`,
    checks: [ratio],
    rows: [row('2', 'ours', o), row('2', 'baseline', b)],
    details: { ours: o, baseline: b, overheadUs: o.meanUs - b.meanUs },
  };
}

/** Figure 3: trace verification throughput vs bare Ed25519 verification. */
export function traceVerifyFigure(w: Workload, options: MeasureOptions): FigureResult {
  const signed = runGateEval(w.compiled, w.intent, gateEvalOptions(w)).trace;
  // What `gait trace verify` holds after reading the file: a freshly parsed JSON value.
  const parsed: unknown = JSON.parse(`${JSON.stringify(signed, null, 2)}\n`);
  const first = verifyTrace(parsed, w.verifyKey);
  if (!first.ok) throw new Error(`verifyTrace: ${first.error}`);
  const publicKey = w.verifyKey.publicKey;
  const sig32 = sign(null, DIGEST32, w.signingKey.privateKey);
  if (!verify(null, DIGEST32, publicKey, sig32)) throw new Error('ed25519 baseline does not verify');
  const ours = 'gait verifyTrace (schema + JCS + verify)';
  const baseline = 'node:crypto ed25519 verify(32 bytes)';
  const stats = measure(
    'figure 3 trace verify',
    [
      [ours, () => verifyTrace(parsed, w.verifyKey)],
      [baseline, () => verify(null, DIGEST32, publicKey, sig32)],
    ],
    options,
  );
  const o = get(stats, ours);
  const b = get(stats, baseline);
  const ratio = check('trace verifies/s ÷ ed25519 verifies/s', o.opsPerSec / b.opsPerSec, '×');
  return {
    id: 'trace_verify',
    title: 'trace verify vs Ed25519 verify',
    summary: `${opText('verifyTrace', o)} | ${opText('ed25519 verify', b)} | ratio ${sig(ratio.value)}× (no target; reported)`,
    checks: [ratio],
    rows: [row('3', 'ours', o), row('3', 'baseline', b)],
    details: { ours: o, baseline: b, overheadUs: o.meanUs - b.meanUs },
  };
}
