/**
 * The `gait gate eval` surface adapter (gate.md §A12.3), shared by the in-process CLI
 * (`cli.test.ts`) and the built binary (`bin.test.ts`); only the way a command is invoked differs.
 *
 * Per scenario, in a fresh temp working directory: copy `policy.yaml` and `intent.json`, write the
 * conformance key pair, run
 *   gait gate eval --policy policy.yaml --intent intent.json --json --trace-out trace.json
 *                  --key-mode prod --private-key keys/conformance_private.key [--evaluation-time T]
 * parse the one JSON line, and for an evaluated verdict run `gait trace verify trace.json --json
 * --public-key keys/conformance_public.key` (exit 0 expected). Refusals must carry the §A13 exit-6
 * envelope and leave no trace file; the gait registry code travels in `error_reason`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePrivateKey, encodePublicKey, signingKeyFromSeed } from '../../src/crypto/keys.js';
import type { Scenario, SurfaceAdapter, SurfaceResult, TraceObservation } from './run.js';
import { CORPUS_NOW } from './run.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gait <argv...>` with `cwd` as working directory. */
export type CliInvoker = (argv: readonly string[], cwd: string) => Promise<CliRun>;

export interface CliSurfaceOptions {
  /** parent directory of the per-scenario working directories (the caller removes it) */
  readonly root: string;
  /** the `GAIT_CORRELATION_ID` the invoker sets; every JSON line must carry it (§A12.1) */
  readonly correlationId: string;
  /**
   * Pass `--evaluation-time` even when the scenario sets none (as `CORPUS_NOW`): needed when the
   * process runs on the wall clock; the in-process io has a fixed clock at `CORPUS_NOW` already.
   */
  readonly alwaysPassEvaluationTime: boolean;
}

const KEY_SEED = createHash('sha256').update('gait conformance cli key v1').digest();
const CLI_KEY = signingKeyFromSeed(new Uint8Array(KEY_SEED));
const PRIVATE_KEY = 'keys/conformance_private.key';
const PUBLIC_KEY = 'keys/conformance_public.key';
const TRACE = 'trace.json';

/** gate.md §A13, exit 6. */
const INVALID_INPUT_ENVELOPE = {
  error_code: 'invalid_input',
  error_category: 'invalid_input',
  retryable: false,
};

function workspace(root: string, scenario: Scenario): string {
  const cwd = mkdtempSync(join(root, `${scenario.name}-`));
  copyFileSync(scenario.policyPath, join(cwd, 'policy.yaml'));
  copyFileSync(scenario.intentPath, join(cwd, 'intent.json'));
  mkdirSync(join(cwd, 'keys'), { mode: 0o700 });
  writeFileSync(join(cwd, PRIVATE_KEY), encodePrivateKey(CLI_KEY), { mode: 0o600 });
  writeFileSync(join(cwd, PUBLIC_KEY), encodePublicKey(CLI_KEY), { mode: 0o600 });
  return cwd;
}

/** Exactly one JSON object on one line (§A12.1), parsed. */
function jsonLine(run: CliRun, what: string): Record<string, unknown> {
  assert.ok(run.stdout.endsWith('\n'), `${what}: stdout must end with a newline; stderr: ${run.stderr}`);
  assert.equal(run.stdout.trimEnd().includes('\n'), false, `${what}: stdout must be one line`);
  const value = JSON.parse(run.stdout) as unknown;
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what}: stdout must be a JSON object`);
  return value as Record<string, unknown>;
}

function stringList(value: unknown): readonly string[] {
  // omit-empty lists (§A12.3) are absent when empty
  return Array.isArray(value) ? (value as string[]) : [];
}

function gateEvalArgv(scenario: Scenario, options: CliSurfaceOptions): string[] {
  const argv = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--trace-out', TRACE];
  argv.push('--key-mode', 'prod', '--private-key', PRIVATE_KEY);
  const evaluationTime = scenario.evaluationTime ?? (options.alwaysPassEvaluationTime ? CORPUS_NOW : undefined);
  if (evaluationTime !== undefined) argv.push('--evaluation-time', evaluationTime);
  return argv;
}

function refusalResult(run: CliRun, json: Record<string, unknown>, cwd: string): SurfaceResult {
  assert.equal(json['ok'], false, 'an error envelope has ok: false');
  if (run.code === 6) {
    for (const [key, value] of Object.entries(INVALID_INPUT_ENVELOPE)) assert.equal(json[key], value, `exit-6 envelope ${key} (gate.md §A13)`);
  }
  assert.equal(existsSync(join(cwd, TRACE)), false, 'a refused evaluation writes no trace (gate.md §A5.2 step 2)');
  const reason = json['error_reason'];
  return { exitCode: run.code, errorCode: typeof reason === 'string' ? reason : undefined };
}

async function observeTrace(invoke: CliInvoker, cwd: string, json: Record<string, unknown>, options: CliSurfaceOptions): Promise<TraceObservation> {
  assert.equal(json['trace_path'], TRACE, 'gate eval reports the --trace-out path');
  const record = JSON.parse(readFileSync(join(cwd, TRACE), 'utf8')) as Record<string, unknown>;
  assert.equal(record['trace_id'], json['trace_id'], 'the trace file carries the reported trace_id');
  const run = await invoke(['trace', 'verify', TRACE, '--json', '--public-key', PUBLIC_KEY], cwd);
  const report = jsonLine(run, 'trace verify');
  assert.equal(report['correlation_id'], options.correlationId, 'trace verify correlation_id');
  assert.equal(report['trace_id'], record['trace_id'], 'trace verify reports the trace id');
  const verified = run.code === 0 && report['ok'] === true && report['signature_status'] === 'verified';
  return {
    verified,
    detail: verified ? '' : `trace verify exit ${run.code}: ${String(report['error'])}`,
    verdict: String(record['verdict']),
    violations: stringList(record['violations']),
  };
}

/** A conformance adapter around `gait gate eval` run through `invoke`. */
export function cliSurface(invoke: CliInvoker, options: CliSurfaceOptions): SurfaceAdapter {
  return async (scenario) => {
    const cwd = workspace(options.root, scenario);
    const run = await invoke(gateEvalArgv(scenario, options), cwd);
    const json = jsonLine(run, 'gate eval');
    assert.equal(json['correlation_id'], options.correlationId, 'gate eval correlation_id (§A12.1)');
    if (json['ok'] !== true) return refusalResult(run, json, cwd);
    const approvals = json['required_approvals'];
    return {
      exitCode: run.code,
      verdict: typeof json['verdict'] === 'string' ? json['verdict'] : undefined,
      reasonCodes: stringList(json['reason_codes']),
      violations: stringList(json['violations']),
      matchedRule: typeof json['matched_rule'] === 'string' ? json['matched_rule'] : '',
      minApprovals: typeof approvals === 'number' ? approvals : 0,
      policyDigest: typeof json['policy_digest'] === 'string' ? json['policy_digest'] : undefined,
      intentDigest: typeof json['intent_digest'] === 'string' ? json['intent_digest'] : undefined,
      trace: await observeTrace(invoke, cwd, json, options),
    };
  };
}
