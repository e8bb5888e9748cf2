/**
 * Single use under a real race (gate.md §A9.7, D4): N concurrent `gait gate eval` PROCESSES of the BUILT
 * binary (`npm run build` first; `npm test` does) present the same Gait v1 approval token (V5) against
 * the same `--state` ledger. Exactly one is allowed (`approval_granted`); every other one is refused with
 * exit 4 and `approval_token_replayed`; `gait approvals list` shows one consumed row for the token, with
 * the winner's trace id. Run against a fresh ledger and against one that already holds an unrelated
 * consumption.
 *
 * The racers are held at a start barrier (`approval-race/start-barrier.mjs`): each loads the CLI's
 * modules, reports ready, and waits for a `go` file that the test creates once all N are ready, so the
 * processes reach the ledger together instead of one module-load time apart.
 */
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJson, V1_POLICY_DIGEST, V4_PRIVATE_KEY, V4_PUBLIC_KEY, VECTORS } from './support.js';

const BIN = join(process.cwd(), 'dist/transports/cli/bin.js');
const BARRIER = join(process.cwd(), 'test/e2e/approval-race/start-barrier.mjs');
const V5 = join(VECTORS, 'approval-token-valid');
const V5_TOKEN_ID = 'ec44f8948261811d131eb04a';
const V5_INTENT_DIGEST = '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913';
const KEYS = ['--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];
const RACERS = 6;
const STATE = 'state.db';
/** How long the racers may take to load and report ready, and then to finish. */
const READY_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 30_000;

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Temp directories made by this file, removed after the suite. */
const temps: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['GAIT_CORRELATION_ID'];
  return env;
}

/** One sequential run of the built binary (set-up and `approvals list`). */
function bin(cwd: string, ...args: string[]): Spawned {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(run: Spawned): Record<string, unknown> {
  assert.match(run.stdout, /^[^\n]+\n$/, `one JSON line, got ${JSON.stringify(run.stdout)} (stderr ${JSON.stringify(run.stderr)})`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function describeRuns(runs: readonly Spawned[]): string {
  return runs.map((r, i) => `#${i} exit ${String(r.code)}: ${r.stdout.trim()}${r.stderr === '' ? '' : ` stderr: ${r.stderr.trim()}`}`).join('\n');
}

/** A temp working directory holding the V5 policy, intent and token. */
function v5Workspace(): string {
  const cwd = tempDir('gait-approval-race-');
  for (const f of ['policy.yaml', 'intent.json', 'approval-token.json']) copyFileSync(join(V5, f), join(cwd, f));
  return cwd;
}

function racerArgs(i: number): string[] {
  return [
    'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json',
    '--approval-token', 'approval-token.json', '--approval-public-key', V4_PUBLIC_KEY,
    '--state', STATE, '--trace-out', `trace-${i}.json`, '--approval-audit-out', `audit-${i}.json`,
    ...KEYS, '--json',
  ];
}

function startRacer(cwd: string, barrier: string, i: number): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BARRIER, barrier, `racer-${i}`, BIN, ...racerArgs(i)], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS + RUN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Race {
  readonly runs: Spawned[];
  /** from `go` to the last racer's exit */
  readonly raceMs: number;
}

/** Spawns RACERS processes, waits until every one is ready at the barrier, releases them together. */
async function race(cwd: string): Promise<Race> {
  const barrier = tempDir('gait-approval-race-barrier-');
  const settled: boolean[] = [];
  const done = Array.from({ length: RACERS }, (_, i) =>
    startRacer(cwd, barrier, i).finally(() => {
      settled[i] = true;
    }),
  );
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = readdirSync(barrier).filter((f) => f.endsWith('.ready')).length;
    if (ready === RACERS) break;
    if (settled.some(Boolean) || Date.now() > deadline) {
      const runs = await Promise.all(done.map((p, i) => (settled[i] === true ? p : Promise.resolve({ code: null, stdout: '', stderr: '(still waiting)' }))));
      assert.fail(`only ${ready}/${RACERS} racers reached the barrier:\n${describeRuns(runs)}`);
    }
    await sleep(5);
  }
  assert.equal(settled.some(Boolean), false, 'no racer may finish before the go signal');
  const go = performance.now();
  writeFileSync(join(barrier, 'go'), '');
  const runs = await Promise.all(done);
  return { runs, raceMs: performance.now() - go };
}

/**
 * The single-use outcome of one race, asserted literally; returns the winner's trace id.
 * Every racer wrote its own trace and audit record, and nothing else landed in the workspace.
 */
function assertOneWinner(cwd: string, runs: readonly Spawned[]): string {
  const all = describeRuns(runs);
  const winners = runs.map((r, i) => [r, i] as const).filter(([r]) => r.code === 0);
  assert.equal(winners.length, 1, `exactly one racer exits 0:\n${all}`);
  const [winnerRun, w] = winners[0]!;
  const win = json(winnerRun);
  assert.equal(win['verdict'], 'allow', all);
  assert.deepEqual(win['reason_codes'], ['approval_granted', 'default_require_approval'], all);
  assert.equal(win['approval_ref'], V5_TOKEN_ID);
  assert.deepEqual([win['required_approvals'], win['valid_approvals']], [1, 1]);
  assert.equal(win['intent_digest'], V5_INTENT_DIGEST);
  assert.equal(win['policy_digest'], V1_POLICY_DIGEST);
  const winnerTraceId = String(win['trace_id']);

  let losers = 0;
  runs.forEach((run, i) => {
    const out = json(run);
    assert.equal(out['trace_path'], `trace-${i}.json`);
    assert.equal(out['approval_audit_path'], `audit-${i}.json`);
    const trace = readJson(join(cwd, `trace-${i}.json`));
    assert.equal(trace['trace_id'], out['trace_id']);
    assert.equal(trace['verdict'], out['verdict']);
    const audit = readJson(join(cwd, `audit-${i}.json`));
    assert.equal(audit['trace_id'], out['trace_id']);
    assert.equal(audit['approved'], i === w);
    if (i === w) {
      assert.equal(trace['approval_token_ref'], V5_TOKEN_ID);
      return;
    }
    losers++;
    assert.equal(run.code, 4, `racer #${i} exits 4:\n${all}`);
    assert.equal(out['verdict'], 'require_approval');
    assert.ok((out['reason_codes'] as string[]).includes('approval_token_replayed'), `racer #${i} reason_codes ${JSON.stringify(out['reason_codes'])}`);
    assert.deepEqual(out['reason_codes'], ['approval_chain_insufficient', 'approval_token_replayed', 'default_require_approval']);
    assert.deepEqual(out['violations'], ['approval_not_granted']);
    assert.equal(out['approval_ref'], undefined);
    assert.notEqual(out['trace_id'], winnerTraceId);
    assert.equal(trace['verdict'], 'require_approval');
  });
  assert.equal(losers, RACERS - 1);

  const files = readdirSync(cwd).filter((f) => !f.startsWith(STATE) && f !== 'setup').sort();
  const expected = ['approval-token.json', 'intent.json', 'policy.yaml'];
  for (let i = 0; i < RACERS; i++) expected.push(`audit-${i}.json`, `trace-${i}.json`);
  assert.deepEqual(files, expected.sort());
  return winnerTraceId;
}

interface LedgerRow {
  readonly token_id: string;
  readonly intent_digest: string;
  readonly policy_digest: string;
  readonly consumed_at: string;
  readonly trace_id: string;
}

function listConsumed(cwd: string): { backend: unknown; count: unknown; consumed: LedgerRow[] } {
  const run = bin(cwd, 'approvals', 'list', '--state', STATE, '--json');
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const out = json(run);
  return { backend: out['backend'], count: out['count'], consumed: out['consumed'] as LedgerRow[] };
}

/** The V5 token's rows in the ledger: exactly one, recording the winner's trace. */
function assertConsumedOnce(rows: readonly LedgerRow[], winnerTraceId: string): void {
  const mine = rows.filter((r) => r.token_id === V5_TOKEN_ID);
  assert.equal(mine.length, 1, JSON.stringify(rows));
  assert.deepEqual([mine[0]!.intent_digest, mine[0]!.policy_digest, mine[0]!.trace_id], [V5_INTENT_DIGEST, V1_POLICY_DIGEST, winnerTraceId]);
}

/**
 * Consumes an unrelated token in `cwd/state.db` before the race: another intent (other path), its own
 * token from `gait approve`, one allowed `gate eval`. Returns the row it left.
 */
function unrelatedConsumption(cwd: string): LedgerRow {
  mkdirSync(join(cwd, 'setup'));
  const intent = readJson(join(V5, 'intent.json'));
  const targets = intent['targets'] as Record<string, unknown>[];
  writeFileSync(
    join(cwd, 'setup/intent.json'),
    JSON.stringify({ ...intent, args: { path: '/tmp/unrelated.txt' }, targets: targets.map((t) => ({ ...t, value: '/tmp/unrelated.txt' })) }),
  );
  const evalArgs = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'setup/intent.json', '--state', STATE, ...KEYS, '--json'];
  const plain = bin(cwd, ...evalArgs, '--trace-out', 'setup/trace-plain.json', '--approval-audit-out', 'setup/audit-plain.json');
  assert.equal(plain.code, 4, plain.stdout + plain.stderr);
  const digest = String(json(plain)['intent_digest']);
  assert.notEqual(digest, V5_INTENT_DIGEST);
  const approve = bin(cwd, 'approve', '--intent-digest', digest, '--policy-digest', V1_POLICY_DIGEST, '--ttl', '1h', '--scope', 'tool:tool.write',
    '--approver', 'alice', '--reason-code', 'CHG-UNRELATED', '--out', 'setup/token.json', ...KEYS, '--json');
  assert.equal(approve.code, 0, approve.stdout + approve.stderr);
  const tokenId = String(json(approve)['token_id']);
  assert.notEqual(tokenId, V5_TOKEN_ID);
  const granted = bin(cwd, ...evalArgs, '--approval-token', 'setup/token.json', '--approval-public-key', V4_PUBLIC_KEY,
    '--trace-out', 'setup/trace-granted.json', '--approval-audit-out', 'setup/audit-granted.json');
  assert.equal(granted.code, 0, granted.stdout + granted.stderr);
  const out = json(granted);
  assert.deepEqual([out['verdict'], out['approval_ref']], ['allow', tokenId]);
  const before = listConsumed(cwd);
  assert.equal(before.count, 1);
  assert.deepEqual([before.consumed[0]!.token_id, before.consumed[0]!.trace_id], [tokenId, out['trace_id']]);
  return before.consumed[0]!;
}

function note(t: TestContext, r: Race, winner: string): void {
  const codes = r.runs.map((run) => String(run.code)).join(',');
  t.diagnostic(`${RACERS} racers released together; exits [${codes}], winner trace ${winner}, last exit ${r.raceMs.toFixed(0)} ms after go`);
}

describe('approval token single use under concurrent gate eval processes (built binary)', () => {
  before(() => {
    assert.equal(existsSync(BIN), true, `${BIN} is missing: run \`npm run build\` first`);
  });
  after(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it(`${RACERS} racers on a fresh ledger: one allow with approval_granted, ${RACERS - 1} × exit 4 approval_token_replayed`, { timeout: 90_000 }, async (t) => {
    const cwd = v5Workspace();
    assert.equal(existsSync(join(cwd, STATE)), false);
    const r = await race(cwd);
    const winner = assertOneWinner(cwd, r.runs);
    const listed = listConsumed(cwd);
    assert.equal(listed.backend, 'sqlite');
    assert.equal(listed.count, 1);
    assertConsumedOnce(listed.consumed, winner);
    note(t, r, winner);
  });

  it(`${RACERS} racers on an existing ledger (after an unrelated consumption): the same, and the old row is kept`, { timeout: 90_000 }, async (t) => {
    const cwd = v5Workspace();
    const unrelated = unrelatedConsumption(cwd);
    const r = await race(cwd);
    const winner = assertOneWinner(cwd, r.runs);
    const listed = listConsumed(cwd);
    assert.equal(listed.backend, 'sqlite');
    assert.equal(listed.count, 2);
    assertConsumedOnce(listed.consumed, winner);
    assert.deepEqual(listed.consumed.filter((row) => row.token_id !== V5_TOKEN_ID), [unrelated]);
    note(t, r, winner);
  });
});
