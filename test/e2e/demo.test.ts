/**
 * `gait demo` through the BUILT binary (`npm run build` first; `npm test` does): in a fresh temp working
 * directory it writes one signed trace per example intent, and each one verifies with `gait trace verify`.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertTraceSignedBy, listTree, modeOf, readJson } from './support.js';

const BIN = join(process.cwd(), 'dist/gait.mjs');

/** The shipped examples and the verdict each one exists to show (README of `gait demo`). */
const EXAMPLES: Readonly<Record<string, string>> = {
  'delete-build-dir.json': 'block',
  'post-scraped-data.json': 'block',
  'read-config.json': 'allow',
  'unannounced-shell.json': 'block',
  'write-release-notes.json': 'require_approval',
};
const EXIT_FOR: Readonly<Record<string, number>> = { allow: 0, block: 3, require_approval: 4 };

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function bin(cwd: string, ...args: string[]): Spawned {
  const env = { ...process.env };
  delete env['GAIT_CORRELATION_ID'];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(run: Spawned): Record<string, unknown> {
  assert.match(run.stdout, /^[^\n]+\n$/, 'one JSON line');
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

interface Step {
  readonly intent: string;
  readonly verdict: string;
  readonly expected_verdict: string;
  readonly exit_code: number;
  readonly trace_id: string;
  readonly trace_path: string;
  readonly trace_verified: boolean;
}

describe('gait demo (built binary)', () => {
  before(() => {
    assert.equal(existsSync(BIN), true, `${BIN} is missing: run \`npm run build\` first`);
  });

  it('ships exactly the documented example intents', () => {
    assert.deepEqual(readdirSync(join(process.cwd(), 'examples/intents')).sort(), Object.keys(EXAMPLES));
  });

  it('exits 0 with one verified trace per example intent, each verifying with `gait trace verify`', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gait-demo-'));
    const run = bin(cwd, 'demo', '--out-dir', join(cwd, 'demo'), '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = json(run);
    assert.equal(out['ok'], true);
    const steps = out['steps'] as Step[];
    assert.deepEqual(
      steps.map((s) => [s.intent, s.verdict, s.expected_verdict, s.exit_code, s.trace_verified]),
      Object.entries(EXAMPLES).map(([name, verdict]) => [name, verdict, verdict, EXIT_FOR[verdict], true]),
    );
    const traces = Object.keys(EXAMPLES).map((name) => `trace_${name.replace(/\.json$/, '')}.json`);
    const approvalFiles = ['approval_audit.json', 'approval_token.json', 'state.db', 'trace_write-release-notes.approved.json'];
    assert.deepEqual(listTree(join(cwd, 'demo')).filter((f) => !f.startsWith('state.db-') && !f.startsWith('regress')), [...approvalFiles.slice(0, 3), ...traces.slice(0, 4), approvalFiles[3], traces[4]]);
    const loop = out['approval_steps'] as { step: string; verdict: string; reason_codes: string[]; ok: boolean }[];
    assert.deepEqual(
      loop.map((s) => [s.step.replace(/[0-9a-f]{24}$/, '<id>'), s.verdict, s.ok]),
      [['approve <id>', '', true], ['gate eval --approval-token', 'allow', true], ['gate eval again (replay)', 'require_approval', true], ['approval-audit verify', '', true]],
    );
    assert.ok(loop[1]?.reason_codes.includes('approval_granted'));
    assert.ok(loop[2]?.reason_codes.includes('approval_token_replayed'));
    const auditCheck = bin(cwd, 'approval-audit', 'verify', 'demo/approval_audit.json', '--json');
    assert.equal(auditCheck.code, 0, auditCheck.stdout);
    assert.deepEqual(listTree(join(cwd, '.gait')), ['keys', 'keys/dev_private.key', 'keys/dev_public.key']);
    const publicKey = join(cwd, '.gait/keys/dev_public.key');
    for (const step of steps) {
      assert.equal(step.trace_path, `demo/trace_${step.intent.replace(/\.json$/, '')}.json`);
      const path = join(cwd, step.trace_path);
      assert.equal(modeOf(path), 0o600);
      const trace = readJson(path);
      assert.equal(trace['trace_id'], step.trace_id);
      assert.equal(trace['verdict'], step.verdict);
      assertTraceSignedBy(trace, publicKey);
      for (const keyFlags of [[], ['--public-key', '.gait/keys/dev_public.key']]) {
        const verified = bin(cwd, 'trace', 'verify', step.trace_path, '--json', ...keyFlags);
        assert.equal(verified.code, 0, verified.stdout + verified.stderr);
        const report = json(verified);
        assert.equal(report['signature_status'], 'verified');
        assert.equal(report['trace_id'], step.trace_id);
        assert.equal(report['verdict'], step.verdict);
      }
    }
  });

  it('prints the human summary and reuses the dev key on a second run', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gait-demo-'));
    const first = bin(cwd, 'demo', '--out-dir', join(cwd, 'demo'), '--json');
    assert.equal(first.code, 0);
    const human = bin(cwd, 'demo', '--out-dir', join(cwd, 'demo'));
    assert.equal(human.code, 0, human.stdout + human.stderr);
    assert.match(human.stdout, /\ndemo ok: every decision signed and verified offline; the approval was used once and its replay refused; the run is a verified runpack and a passing regress fixture\n/);
    assert.match(human.stdout, new RegExp(`\\nwarning: dev mode: using local development signing key \\S+ \\(key_id ${String(json(first)['key_id'])}\\); do not use for production\\n$`));
  });

  it('writes and verifies the signed runpack, prints its ticket footer, and bootstraps and runs a regress fixture (artifacts.md §5)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gait-demo-'));
    const out = json(bin(cwd, 'demo', '--json'));
    assert.equal(out['ok'], true);
    assert.equal(out['mode'], 'standard');
    assert.equal(out['run_id'], 'run_demo');
    assert.equal(out['bundle'], './gait-out/runpack_run_demo.zip');
    assert.equal(out['verify'], 'ok');
    assert.equal(out['signature_status'], 'verified');
    const footer = String(out['ticket_footer']);
    const m = /^GAIT run_id=([A-Za-z0-9_-]+) manifest=sha256:([a-f0-9]{64}) verify="gait verify ([A-Za-z0-9_-]+)"$/.exec(footer);
    assert.ok(m !== null, footer);
    assert.equal(m[1], 'run_demo');
    assert.equal(m[3], 'run_demo');
    assert.equal(m[2], out['manifest_digest']);
    assert.deepEqual(out['regress'], {
      config: 'gait-out/demo/regress/gait.yaml',
      failed: 0,
      fixture: 'run_demo',
      graders: 4,
      junit: 'gait-out/demo/regress/junit.xml',
      output: 'gait-out/demo/regress/regress_result.json',
      status: 'pass',
    });
    assert.deepEqual(out['next_commands'], [
      'gait verify run_demo --json',
      'gait regress bootstrap --from run_demo --intents ./gait-out/intents_run_demo.jsonl --policy ./gait-out/policy_run_demo.yaml --json --junit ./gait-out/junit.xml',
      'gait demo --policy',
    ]);
    assert.equal(out['metrics_opt_in'], 'export GAIT_ADOPTION_LOG=./gait-out/adoption.jsonl');
    // a third party verifies the runpack by run id, with the signature required
    const verified = json(bin(cwd, 'verify', 'run_demo', '--require-signature', '--public-key', '.gait/keys/dev_public.key', '--json'));
    assert.equal(verified['ok'], true);
    assert.equal(verified['manifest_digest'], out['manifest_digest']);
    // the next command of the demo works as printed and the regress result is signed
    const boot = bin(cwd, 'regress', 'bootstrap', '--from', 'run_demo', '--intents', './gait-out/intents_run_demo.jsonl', '--policy', './gait-out/policy_run_demo.yaml', '--json', '--junit', './gait-out/junit.xml');
    assert.equal(boot.code, 0, boot.stdout + boot.stderr);
    assert.equal(json(boot)['status'], 'pass');
    const result = readJson(join(cwd, 'gait-out/demo/regress/regress_result.json'));
    assert.equal(result['status'], 'pass');
    assertTraceSignedBy(result, join(cwd, '.gait/keys/dev_public.key'));
  });

  it('runs the policy demo with --policy and refuses --durable', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gait-demo-'));
    const out = json(bin(cwd, 'demo', '--policy', '--json'));
    assert.equal(out['policy_verdict'], 'block');
    assert.equal(out['matched_rule'], 'block-destructive-tool-delete');
    assert.equal(out['verify'], 'ok');
    assert.equal(bin(cwd, 'demo', '--durable').code, 6);
    assert.equal(bin(cwd, 'demo', '--durable', '--policy').code, 6);
  });
});
