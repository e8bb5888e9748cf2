/**
 * `regress init` (artifacts.md §4.2): resolve and verify the source runpack, evaluate and bind the
 * given intents, write `fixtures/<name>/` (runpack copy, `intents.jsonl` 0600, `fixture.json`) and
 * rewrite `gait.yaml` from every fixture directory.
 */
import { join, relative, resolve } from 'node:path';
import { bindIntents, buildExpectations, evaluateInputs, recordedVerdicts } from '../../artifacts/regress/bind.js';
import { FIXTURE_FILE, FIXTURE_INTENTS_FILE, FIXTURE_RUNPACK_FILE, formatFixtureJson } from '../../artifacts/regress/fixture.js';
import { formatFixtureIntents } from '../../artifacts/regress/intents-input.js';
import { assertFixtureName, defaultFixtureName } from '../../artifacts/regress/names.js';
import type { ExpectedVerdict, Fixture } from '../../artifacts/regress/types.js';
import type { RunpackEvidence } from '../../artifacts/regress/evidence.js';
import { verifySourceRunpack } from '../../artifacts/regress/source.js';
import type { VerifyKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/index.js';
import { parseTimestamp } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { writeFileAtomic } from '../atomic-write.js';
import { readCompiledPolicyFile } from '../input-files.js';
import type { EnvSource } from '../key-store.js';
import { FIXTURES_DIR, loadOrEmptyRegressConfig, rewriteRegressConfig } from './config-file.js';
import { readIntentsSource } from './intents-source.js';
import { readRegressSource } from './resolve-runpack.js';
import type { RegressSource } from './resolve-runpack.js';
import { DEFAULT_REGRESS_POLICY } from './run-regress.js';

export interface InitFixtureOptions {
  /** `--from`: run id or path */
  readonly from: string;
  /** `--intents` */
  readonly intents: string;
  readonly cwd: string;
  readonly env?: EnvSource;
  /** default `gait.yaml` */
  readonly configPath: string;
  readonly policyPath?: string;
  readonly expect?: ExpectedVerdict;
  /** RFC 3339 */
  readonly evaluationTime?: string;
  readonly name?: string;
  /** checks the source runpack's signature when given (as `gait verify` does with the dev key) */
  readonly verifyKey?: VerifyKey;
}

export interface InitFixtureResult {
  readonly runId: string;
  readonly fixtureName: string;
  /** relative to cwd */
  readonly fixtureDir: string;
  readonly runpackPath: string;
  readonly configPath: string;
  readonly policyDigest: string;
  readonly warnings: readonly string[];
}

/**
 * §4.2 step 1: the source must verify (§2.8; signatures with `verifyKey` when given). The evidence is
 * read from the entries that verification opened and hashed.
 */
function verifiedEvidence(source: RegressSource, verifyKey: VerifyKey | undefined): RunpackEvidence {
  const { report, load } = verifySourceRunpack(source.runpack, verifyKey === undefined ? {} : { key: verifyKey });
  if (!report.ok || load === undefined || !load.ok) {
    const failedChecks = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.why ?? 'failed'}`);
    throw new GaitError('artifact_verification_failed', 'source runpack failed integrity checks', {
      hint: `run \`gait verify ${source.display} --json\` for the report`,
      details: { path: source.display, failed_checks: failedChecks },
    });
  }
  return load.evidence;
}

function relativeTo(from: string, abs: string): string {
  const rel = relative(from, abs);
  return rel === '' ? '.' : rel.split('\\').join('/');
}

/**
 * Runs `regress init`.
 * @throws GaitError `artifact_verification_failed` (exit 2: `source runpack failed integrity checks`),
 *   `input_usage` (missing --intents, `no intent request matches runpack intent <id>`, bad name),
 *   `input_path`, `input_json`, `input_intent`, `policy_*`, `storage_io`
 */
export function initFixture(options: InitFixtureOptions): InitFixtureResult {
  if (options.intents.trim() === '') {
    throw new GaitError('input_usage', 'regress init requires --intents <file> (the gate intent requests to replay)');
  }
  const source = readRegressSource(options.from, options.cwd, options.env ?? {});
  const evidence = verifiedEvidence(source, options.verifyKey);
  const config = loadOrEmptyRegressConfig(options.configPath, options.cwd);
  const policyGiven = options.policyPath !== undefined && options.policyPath !== '';
  const policyAbs = policyGiven ? resolve(options.cwd, options.policyPath as string) : resolve(config.dir, config.config.policy || DEFAULT_REGRESS_POLICY);
  const policy = readCompiledPolicyFile(policyAbs);
  const at: Timestamp | undefined = options.evaluationTime === undefined ? undefined : parseTimestamp(options.evaluationTime);
  const evaluated = evaluateInputs(policy, readIntentsSource(options.intents, options.cwd), at);
  const checkpoint = evidence.runId.includes('_cp_');
  const { bound, unbound } = bindIntents(evidence.intents, evaluated, checkpoint);
  const expectations = buildExpectations(bound, recordedVerdicts(evidence.results), options.expect);
  const name = options.name === undefined || options.name === '' ? defaultFixtureName(evidence.runId) : assertFixtureName(options.name);
  const fixtureDir = join(config.dir, FIXTURES_DIR, name);
  const contextDigest = evidence.refs.contextSetDigest;
  const fixture: Fixture = {
    name,
    runId: evidence.runId,
    runpack: FIXTURE_RUNPACK_FILE,
    intents: FIXTURE_INTENTS_FILE,
    ...(policyGiven ? { policy: relativeTo(config.dir, policyAbs) } : {}),
    ...(options.evaluationTime === undefined ? {} : { evaluationTime: options.evaluationTime }),
    baselinePolicyDigest: policy.digest,
    expectedDecisions: expectations.expectedDecisions,
    expectedReplayExitCode: 0,
    expectedToolSequence: expectations.toolSequence,
    expectedVerdictSequence: expectations.verdictSequence,
    ...(contextDigest === '' ? {} : { contextConformance: 'required' as const, expectedContextSetDigest: contextDigest }),
  };
  writeFileAtomic(join(fixtureDir, FIXTURE_RUNPACK_FILE), source.bytes, { mode: 0o600 });
  writeFileAtomic(join(fixtureDir, FIXTURE_INTENTS_FILE), formatFixtureIntents(expectations.lines), { mode: 0o600 });
  writeFileAtomic(join(fixtureDir, FIXTURE_FILE), formatFixtureJson(fixture), { mode: 0o600 });
  rewriteRegressConfig(config, resolve(options.cwd, options.configPath));
  const warnings = [...expectations.warnings, ...(unbound > 0 ? [`intent_unbound=${unbound}`] : [])];
  return {
    runId: evidence.runId,
    fixtureName: name,
    fixtureDir: relativeTo(options.cwd, fixtureDir),
    runpackPath: relativeTo(options.cwd, join(fixtureDir, FIXTURE_RUNPACK_FILE)),
    configPath: options.configPath,
    policyDigest: policy.digest,
    warnings,
  };
}
