/**
 * `regress run` without the CLI (artifacts.md §4.3–§4.4): load the config and every fixture, resolve
 * each fixture's policy, grade, and build `regress_result.json`; `writeRegressOutputs` writes the
 * result (signed when a key is available, §1.2) and the JUnit file. Shared by the CLI and `gait/node`.
 */
import { resolve } from 'node:path';
import type { GraderResult } from '../../artifacts/regress/types.js';
import { effectiveFixtureSet } from '../../artifacts/regress/config.js';
import { gradeFixture, sortGraderResults } from '../../artifacts/regress/grade.js';
import { renderJunit } from '../../artifacts/regress/junit.js';
import { buildRegressResult, formatRegressResult, overallStatus, signRegressResult, topFailureReason } from '../../artifacts/regress/result.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError, isGaitError } from '../../errors/index.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { writeFileAtomic } from '../atomic-write.js';
import { readCompiledPolicyFile } from '../input-files.js';
import { loadRegressConfig } from './config-file.js';
import type { LoadedRegressConfig } from './config-file.js';
import { loadFixture } from './fixture-load.js';
import type { LoadedFixture, RunpackDiffer } from './fixture-load.js';

export const DEFAULT_REGRESS_POLICY = '.gait.yaml';
export const DEFAULT_REGRESS_OUTPUT = 'regress_result.json';

export interface RunRegressOptions {
  /** `gait.yaml` path as given; relative to `cwd` */
  readonly configPath: string;
  readonly cwd: string;
  /** `--policy`: overrides every fixture and config policy; relative to `cwd` */
  readonly policyPath?: string;
  /** `--context-conformance` */
  readonly contextConformance?: boolean;
  /** `--allow-context-runtime-drift` */
  readonly allowContextRuntimeDrift?: boolean;
  readonly producerVersion: string;
  /** computes the candidate `run diff`; required only by fixtures with a `candidate_runpack` */
  readonly differ: RunpackDiffer;
  /** called after each fixture is graded */
  readonly onProgress?: (done: number, total: number, fixture: string) => void;
  /** size cap for policy files (default 1 MiB) */
  readonly maxInputBytes?: number;
}

export interface RegressRun {
  readonly config: LoadedRegressConfig;
  readonly fixtureSet: string;
  /** sorted by name */
  readonly graders: readonly GraderResult[];
  readonly status: 'pass' | 'fail';
  readonly failed: number;
  /** '' when passing */
  readonly topFailureReason: string;
  /** the unsigned `gait.regress.result` record */
  readonly record: JsonObject;
}

interface PolicyChoice {
  /** as shown in messages */
  readonly shown: string;
  readonly abs: string;
}

/** §4.3 step 2: `--policy`, else the fixture's (config-relative), else the config's, else `.gait.yaml`. */
function policyFor(options: RunRegressOptions, config: LoadedRegressConfig, f: LoadedFixture): PolicyChoice {
  if (options.policyPath !== undefined && options.policyPath !== '') return { shown: options.policyPath, abs: resolve(options.cwd, options.policyPath) };
  const chosen = f.fixture.policy ?? (config.config.policy === '' ? DEFAULT_REGRESS_POLICY : config.config.policy);
  return { shown: chosen, abs: resolve(config.dir, chosen) };
}

function compileOnce(cache: Map<string, CompiledPolicy>, choice: PolicyChoice, fixture: string, maxBytes: number | undefined): CompiledPolicy {
  const cached = cache.get(choice.abs);
  if (cached !== undefined) return cached;
  let compiled: CompiledPolicy;
  try {
    compiled = readCompiledPolicyFile(choice.abs, maxBytes === undefined ? {} : { maxBytes });
  } catch (err) {
    if (isGaitError(err, 'input_path')) {
      throw new GaitError('input_path', `regress policy not found for fixture \`${fixture}\`: ${choice.shown}`, {
        hint: 'pass --policy <policy.yaml>, or set `policy:` in gait.yaml or the fixture',
        cause: err,
      });
    }
    throw err;
  }
  cache.set(choice.abs, compiled);
  return compiled;
}

/**
 * Loads, replays and grades every configured fixture.
 * @throws GaitError (all exit 6 except I/O): `input_path` (config, runpack or policy missing),
 *   `artifact_invalid` (config, fixture.json, run id mismatch; `no fixtures configured`), `policy_*`
 */
export function runRegress(options: RunRegressOptions): RegressRun {
  const config = loadRegressConfig(options.configPath, options.cwd, options.maxInputBytes);
  const entries = config.config.fixtures;
  if (entries.length === 0) throw new GaitError('artifact_invalid', 'no fixtures configured', { hint: 'add one with `gait regress init --from <runpack> --intents <file>`' });
  const cache = new Map<string, CompiledPolicy>();
  const gradeOptions = { enforce: options.contextConformance === true, allowRuntimeDrift: options.allowContextRuntimeDrift === true };
  const results: GraderResult[] = [];
  let createdAt = '';
  entries.forEach((entry, i) => {
    const loaded = loadFixture(config.dir, entry, options.differ);
    const policy = compileOnce(cache, policyFor(options, config, loaded), entry.name, options.maxInputBytes);
    if (createdAt === '' && loaded.runpack.ok) createdAt = loaded.runpack.evidence.createdAt;
    results.push(...gradeFixture({ fixture: loaded.fixture, lines: loaded.lines, runpack: loaded.runpack, candidate: loaded.candidate, policy }, gradeOptions));
    options.onProgress?.(i + 1, entries.length, entry.name);
  });
  const graders = sortGraderResults(results);
  const fixtureSet = effectiveFixtureSet(config.config);
  return {
    config,
    fixtureSet,
    graders,
    status: overallStatus(graders),
    failed: graders.filter((g) => g.status === 'fail').length,
    topFailureReason: topFailureReason(graders),
    record: buildRegressResult({ createdAt, producerVersion: options.producerVersion, fixtureSet, graders }),
  };
}

export interface RegressOutputs {
  /** absolute paths */
  readonly outputPath: string;
  readonly junitPath?: string;
  readonly signingKey?: SigningKey;
}

/**
 * Writes `regress_result.json` (mode 0600, signed when a key is given) and the JUnit file.
 * @throws GaitError `storage_io`
 */
export function writeRegressOutputs(run: RegressRun, outputs: RegressOutputs): JsonObject {
  const record = outputs.signingKey === undefined ? run.record : signRegressResult(run.record, outputs.signingKey);
  writeFileAtomic(outputs.outputPath, formatRegressResult(record), { mode: 0o600 });
  if (outputs.junitPath !== undefined) writeFileAtomic(outputs.junitPath, renderJunit(run.fixtureSet, run.graders), { mode: 0o600 });
  return record;
}
