/**
 * Figure 5: the approval path (gate.md §A9.5–§A9.7). Per call, in the same rounds:
 *   (a) baseline: `runGateEval` on the workload intent, whose policy verdict is allow (the plain
 *       signed decision of figure 2);
 *   (b) ours: `runGateEval` on a sibling intent whose policy verdict is require_approval, presenting
 *       one valid approval token: verify the token, consume it in a real SQLite ledger
 *       (`openApprovalLedger` on a temp file, opened once as a long-running gate would), sign the
 *       approval audit record, and allow;
 *   (c) variant: (b) with the in-memory ledger (`createMemoryLedger`), to separate the SQLite cost;
 *   (d) baseline: one bare Ed25519 verification of 32 bytes (node:crypto).
 * Target: the approval path adds at most one Ed25519 verify plus 0.5 ms per call, i.e.
 * (b) − (a) ≤ (d) + 500 µs.
 *
 * A token is consumed once, so every call of (b) and (c) needs a fresh token id. Tokens are minted
 * ahead of each round (outside the timed loop) for the same intent and policy digests, with the
 * reason code varied so that the ids differ; (b) and (c) take them from the same list through their
 * own cursors, as their ledgers are separate.
 */
import { createHash, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintApprovalToken } from '../src/artifacts/approval/mint.js';
import type { ApprovalLedger } from '../src/artifacts/approval/types.js';
import type { PresentedToken } from '../src/artifacts/gate/approval-step.js';
import { runGateEval } from '../src/artifacts/gate/gate-eval.js';
import type { GateEvalOptions, GateEvalResult } from '../src/artifacts/gate/gate-eval.js';
import { evaluate } from '../src/policy/evaluate.js';
import { systemClock } from '../src/runtime/clock.js';
import { parseDuration } from '../src/runtime/duration.js';
import { normalizeIntent } from '../src/schema/v1/intent.js';
import type { Intent } from '../src/schema/v1/intent-types.js';
import type { JsonObject } from '../src/schema/v1/json-types.js';
import { createMemoryLedger } from '../src/storage/ledger/memory-ledger.js';
import { openApprovalLedger } from '../src/storage/ledger/open-ledger.js';
import type { OpenedLedger } from '../src/storage/ledger/open-ledger.js';
import { measure } from './measure.js';
import type { MeasureOptions, OpStats } from './measure.js';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { grouped, median, sig } from './stats.js';
import { EXPECTED, RAW_INTENT } from './workloads.js';
import type { Workload } from './workloads.js';

/** The workload intent with provenance `tool_output`: no rule matches, so `default_verdict: require_approval`. */
export const APPROVAL_RAW_INTENT: JsonObject = { ...RAW_INTENT, arg_provenance: [{ arg_path: '$.path', source: 'tool_output' }] };

/** The outcome (b) and (c) must produce on every call (checked before timing). */
export const EXPECTED_APPROVAL = { verdict: 'allow', reasonCodes: ['approval_granted', 'default_require_approval'] } as const;

/** The target: added time per call ≤ one Ed25519 verify + this many µs. */
export const ADDED_BUDGET_US = 500;

const DIGEST32 = createHash('sha256').update('gait bench').digest();
const TTL_NANOS = parseDuration('24h');
const CALIBRATION_CALLS = 2000;

const OURS = 'gait runGateEval + approval token (sqlite ledger)';
const VARIANT = 'gait runGateEval + approval token (memory ledger)';
const BASELINE = 'gait runGateEval (policy allow, no approval)';
const VERIFY = 'node:crypto ed25519 verify(32 bytes)';

function gateOptions(w: Workload): GateEvalOptions {
  return {
    evaluationTime: w.evaluationTime,
    clock: systemClock,
    signingKey: w.signingKey,
    producerVersion: '0.0.0-bench',
    correlationId: 'bench-correlation-id',
    simulate: false,
  };
}

interface ApprovalSetup {
  readonly intent: Intent;
  readonly intentDigest: string;
  readonly policyDigest: string;
}

/** The require_approval intent and the digests its tokens bind; checks that the policy really asks for approval. */
function approvalSetup(w: Workload): ApprovalSetup {
  const intent = normalizeIntent(APPROVAL_RAW_INTENT);
  const decision = evaluate(w.compiled, intent, { evaluationTime: w.evaluationTime });
  if (decision.verdict !== 'require_approval' || decision.reasonCodes.join(',') !== 'default_require_approval') {
    throw new Error(`bench approval intent: unexpected decision ${decision.verdict} [${decision.reasonCodes.join(',')}]`);
  }
  return { intent, intentDigest: decision.intentDigest, policyDigest: decision.policyDigest };
}

/** Fresh signed tokens for the setup's digests, as parsed JSON (what `gate eval` reads from a file). */
function mintTokens(w: Workload, s: ApprovalSetup, count: number, tag: string): PresentedToken[] {
  const createdAt = systemClock.now();
  const tokens: PresentedToken[] = [];
  for (let i = 0; i < count; i++) {
    const { record } = mintApprovalToken(
      {
        intentDigest: s.intentDigest,
        policyDigest: s.policyDigest,
        ttlNanos: TTL_NANOS,
        scope: ['tool:tool.write'],
        approverIdentity: 'bench-approver',
        reasonCode: `bench-${tag}-${i}`,
        producerVersion: '0.0.0-bench',
        createdAt,
      },
      w.signingKey,
    );
    tokens.push({ source: `bench-${tag}-${i}.json`, raw: JSON.parse(JSON.stringify(record)) as unknown });
  }
  return tokens;
}

/** One approval-path operation: each call presents the next unused token of the current pool. */
interface ApprovalOp {
  /** installs a new pool and resets the cursor */
  reset(pool: readonly PresentedToken[]): void;
  call(): GateEvalResult;
  /** tokens used from the current pool */
  used(): number;
}

function approvalOp(w: Workload, s: ApprovalSetup, ledger: ApprovalLedger, label: string): ApprovalOp {
  const base = gateOptions(w);
  let pool: readonly PresentedToken[] = [];
  let next = 0;
  return {
    reset(p) {
      pool = p;
      next = 0;
    },
    call() {
      const token = pool[next++];
      if (token === undefined) throw new Error(`${label}: token pool of ${pool.length} exhausted; the calibration underestimated the call rate`);
      return runGateEval(w.compiled, s.intent, { ...base, approvals: { tokens: [token], verifyKey: w.verifyKey, openLedger: () => ledger } });
    },
    used: () => next,
  };
}

function assertGranted(r: GateEvalResult, label: string): void {
  const reasons = r.reasonCodes.join(',');
  if (r.verdict !== EXPECTED_APPROVAL.verdict || reasons !== EXPECTED_APPROVAL.reasonCodes.join(',') || r.validApprovals !== 1) {
    throw new Error(`${label}: unexpected result ${r.verdict} [${reasons}] valid_approvals=${r.validApprovals}`);
  }
}

/**
 * A generous pool size for the first round: calls of (b)/(c) at three times the warm calibrated rate
 * over time + warm-up. Later rounds also take at least twice the most tokens a round has used.
 */
function poolSize(w: Workload, s: ApprovalSetup, options: MeasureOptions): number {
  const op = approvalOp(w, s, createMemoryLedger(), 'calibration');
  op.reset(mintTokens(w, s, CALIBRATION_CALLS, 'calibration'));
  const timed = CALIBRATION_CALLS / 2;
  let started = 0;
  for (let i = 0; i < CALIBRATION_CALLS; i++) {
    if (i === CALIBRATION_CALLS - timed) started = performance.now();
    assertGranted(op.call(), 'calibration');
  }
  const perCallMs = (performance.now() - started) / timed;
  return Math.ceil((3 * (options.timeMs + options.warmupMs)) / perCallMs) + 200;
}

/** Medians over rounds of one-round measurements (what `measure` does over its own rounds). */
function combine(name: string, rounds: readonly OpStats[]): OpStats {
  const meanUs = median(rounds.map((r) => r.meanUs));
  return {
    name,
    p50Us: median(rounds.map((r) => r.p50Us)),
    p99Us: median(rounds.map((r) => r.p99Us)),
    meanUs,
    opsPerSec: 1e6 / meanUs,
    samples: rounds.reduce((n, r) => n + r.samples, 0),
    rmePct: Math.max(...rounds.map((r) => r.rmePct)),
  };
}

function row(role: Row['role'], s: OpStats): Row {
  return { figure: '5', operation: s.name, role, p50: s.p50Us, mean: s.meanUs, unit: 'µs', opsPerSec: s.opsPerSec, samples: s.samples };
}

function opText(label: string, s: OpStats): string {
  return `${label} p50=${sig(s.p50Us)}µs ops/s=${grouped(s.opsPerSec)}`;
}

/** Figure 5: the approval path's added time per call vs one Ed25519 verify. */
export function approvalFigure(w: Workload, options: MeasureOptions): FigureResult {
  const gate = gateOptions(w);
  const plain = runGateEval(w.compiled, w.intent, gate);
  if (plain.verdict !== EXPECTED.verdict) throw new Error(`runGateEval: unexpected verdict ${plain.verdict}`);
  const s = approvalSetup(w);
  const publicKey = w.verifyKey.publicKey;
  const sig32 = sign(null, DIGEST32, w.signingKey.privateKey);
  if (!verify(null, DIGEST32, publicKey, sig32)) throw new Error('ed25519 baseline does not verify');

  const dir = mkdtempSync(join(tmpdir(), 'gait-bench-ledger-'));
  const sqlite: OpenedLedger = openApprovalLedger(join(dir, 'state.db'));
  const memory = createMemoryLedger();
  try {
    if (sqlite.backend !== 'sqlite') throw new Error(`approval ledger backend is \`${sqlite.backend}\`, not sqlite: is better-sqlite3 installed?`);
    const ours = approvalOp(w, s, sqlite, OURS);
    const variant = approvalOp(w, s, memory, VARIANT);
    let perRound = poolSize(w, s, options);
    const perOp = new Map<string, OpStats[]>([OURS, VARIANT, BASELINE, VERIFY].map((n) => [n, []]));
    let maxUsed = 0;
    for (let round = 0; round < options.rounds; round++) {
      const pool = mintTokens(w, s, perRound + 1, `r${round}`);
      ours.reset(pool);
      variant.reset(pool);
      // The first call of each round checks the outcome (and that the token was not already consumed).
      assertGranted(ours.call(), OURS);
      assertGranted(variant.call(), VARIANT);
      const ops: readonly (readonly [string, () => unknown])[] = [
        [OURS, () => ours.call()],
        [VARIANT, () => variant.call()],
        [BASELINE, () => runGateEval(w.compiled, w.intent, gate)],
        [VERIFY, () => verify(null, DIGEST32, publicKey, sig32)],
      ];
      const stats = measure(`figure 5 approval path (round ${round + 1}/${options.rounds})`, round % 2 === 0 ? ops : [...ops].reverse(), { ...options, rounds: 1 });
      for (const [name, st] of stats) perOp.get(name)!.push(st);
      maxUsed = Math.max(maxUsed, ours.used(), variant.used());
      perRound = Math.max(perRound, 2 * maxUsed);
    }
    const consumed = sqlite.list().length;
    const [o, v, b, d] = [OURS, VARIANT, BASELINE, VERIFY].map((n) => combine(n, perOp.get(n)!)) as [OpStats, OpStats, OpStats, OpStats];

    const addedP50 = o.p50Us - b.p50Us;
    const addedMean = o.meanUs - b.meanUs;
    const addedMemoryP50 = v.p50Us - b.p50Us;
    const sqliteP50 = o.p50Us - v.p50Us;
    const overP50 = check('approval added p50 (sqlite) − ed25519 verify p50', addedP50 - d.p50Us, 'µs', { max: ADDED_BUDGET_US });
    const overMean = check('approval added mean (sqlite) − ed25519 verify mean', addedMean - d.meanUs, 'µs', { max: ADDED_BUDGET_US });
    const added = check('approval added p50 (sqlite): (b) − (a)', addedP50, 'µs');
    const addedMemory = check('approval added p50 (memory ledger): (c) − (a)', addedMemoryP50, 'µs');
    const sqliteCost = check('sqlite ledger p50: (b) − (c)', sqliteP50, 'µs');
    const inVerifies = check('approval added p50 (sqlite) ÷ ed25519 verify p50', addedP50 / d.p50Us, '×');
    return {
      id: 'approval_path',
      title: 'approval path vs plain signed decision (+ Ed25519 verify budget)',
      summary:
        `${opText('+approval sqlite', o)} | ${opText('+approval memory', v)} | ${opText('runGateEval allow', b)} | ${opText('ed25519 verify', d)} | ` +
        `added p50 ${sig(addedP50)}µs (memory ledger ${sig(addedMemoryP50)}µs, sqlite ${sig(sqliteP50)}µs) = verify + ${sig(overP50.value)}µs ` +
        `(target ≤ verify + ${ADDED_BUDGET_US}µs) ${overP50.verdict}; added mean ${sig(addedMean)}µs = verify + ${sig(overMean.value)}µs ${overMean.verdict}`,
      checks: [overP50, overMean, added, addedMemory, sqliteCost, inVerifies],
      rows: [row('ours', o), row('variant', v), row('baseline', b), row('baseline', d)],
      details: {
        ours: o,
        variant: v,
        baseline: b,
        verify: d,
        addedP50Us: addedP50,
        addedMeanUs: addedMean,
        addedMemoryP50Us: addedMemoryP50,
        addedMemoryMeanUs: v.meanUs - b.meanUs,
        sqliteP50Us: sqliteP50,
        sqliteMeanUs: o.meanUs - v.meanUs,
        budgetUs: ADDED_BUDGET_US,
        tokensLastRound: perRound + 1,
        maxTokensUsedInARound: maxUsed,
        sqliteRowsConsumed: consumed,
        ledgerPath: 'temp file (deleted after the figure)',
      },
    };
  } finally {
    sqlite.close();
    memory.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
