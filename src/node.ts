/**
 * `gait/node`: the Node-only half of the library API — files and key sources. The root entry
 * (`gait`) stays pure; this entry reads and writes files exactly as the CLI does.
 */
import { join, resolve } from 'node:path';
import { parseIntent } from './api/evaluate.js';
import type { CompiledPolicy } from './policy/compile.js';
import { systemRandom } from './runtime/random.js';
import type { Intent } from './schema/v1/intent-types.js';
import type { JsonObject } from './schema/v1/json-types.js';
import { assertSafeRelativePath, writeFileAtomic } from './storage/atomic-write.js';
import { readCompiledPolicyFile, readIntentJsonFile, withFile } from './storage/input-files.js';
import type { InputFileOptions } from './storage/input-files.js';
import { resolveSigningKey, resolveVerifyKey } from './storage/key-store.js';
import type { EnvSource, LoadedKey, ResolvedSigningKey } from './storage/key-store.js';
import type { SigningKey, VerifyKey } from './crypto/keys.js';
import { canonicalize } from './jcs/canonicalize.js';
import { parseJsonText, readInputFile } from './storage/read-input.js';
import type { RegressReport } from './api/regress.js';
import { diffForRegress } from './artifacts/regress/from-runpack.js';
import { renderJunit } from './artifacts/regress/junit.js';
import { formatRegressResult, signRegressResult } from './artifacts/regress/result.js';
import { GAIT_VERSION } from './runtime/version.js';
import { runRegress as runRegressFiles } from './storage/regress/run-regress.js';
import { recordRunpack, verifyRunpack } from './api/runpack.js';
import type { RecordRunpackOptions, VerifyArtifactOptions } from './api/runpack.js';
import type { BuiltRunpack } from './artifacts/runpack/build.js';
import { readRunpack } from './artifacts/runpack/read.js';
import type { Runpack } from './artifacts/runpack/types.js';
import type { RunpackVerifyReport } from './artifacts/runpack/verify.js';
import type { ZipLimits } from './artifacts/zip/read.js';
import { GaitError } from './errors/error.js';
import { homeDirOf, hostRunEnv, readArtifactFile, resolveRunpackRef, writeArtifactFile } from './storage/runpack-files.js';

export type { InputFileOptions } from './storage/input-files.js';
export { openApprovalLedger } from './storage/ledger/open-ledger.js';
export type { OpenedLedger } from './storage/ledger/open-ledger.js';
export type { LoadedKey, ResolvedSigningKey } from './storage/key-store.js';

/**
 * Reads, parses and compiles a policy file (1 MiB cap by default).
 * @throws GaitError `input_*` (unreadable, too large, empty, invalid UTF-8), `policy_*` with
 *   file:line:col, `input_unsupported_feature`
 * @example const policy = loadPolicyFile('gait.policy.yaml');
 */
export function loadPolicyFile(path: string, options: InputFileOptions = {}): CompiledPolicy {
  return readCompiledPolicyFile(path, options);
}

/**
 * Reads and normalizes an IntentRequest file (as `parseIntent`).
 * @throws GaitError `input_*` naming the file (`input_json` with line and column)
 * @example const intent = readIntentFile('intent.json');
 */
export function readIntentFile(path: string, options: InputFileOptions = {}): Intent {
  const raw = readIntentJsonFile(path, options);
  try {
    return parseIntent(raw);
  } catch (err) {
    throw withFile(err, path);
  }
}

export interface SigningKeyOptions {
  /** `dev` (default: explicit key, else the persistent pair under `.gait/keys/`, D7) or `prod`. */
  readonly mode?: 'dev' | 'prod';
  readonly privateKeyPath?: string;
  readonly privateKeyEnv?: string;
  readonly publicKeyPath?: string;
  readonly publicKeyEnv?: string;
  readonly cwd?: string;
  readonly env?: EnvSource;
}

/**
 * Resolves the signing key as `gait gate eval` does (gate.md §A11).
 * @returns the key, its source (`path:<p>`, `env:<VAR>`, `dev:<path>`) and warnings (dev mode)
 * @throws GaitError `sig_key_missing` (`prod mode requires a private key source`), `sig_key_invalid`, `input_usage`, `storage_io`
 * @example const { key } = loadSigningKey({ mode: 'prod', privateKeyEnv: 'GAIT_PRIVATE_KEY' });
 */
export function loadSigningKey(options: SigningKeyOptions = {}): ResolvedSigningKey {
  return resolveSigningKey({
    mode: options.mode ?? 'dev',
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    random: systemRandom,
    ...keyPaths(options),
  });
}

function keyPaths(options: SigningKeyOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.privateKeyPath !== undefined) out['privateKeyPath'] = options.privateKeyPath;
  if (options.privateKeyEnv !== undefined) out['privateKeyEnv'] = options.privateKeyEnv;
  if (options.publicKeyPath !== undefined) out['publicKeyPath'] = options.publicKeyPath;
  if (options.publicKeyEnv !== undefined) out['publicKeyEnv'] = options.publicKeyEnv;
  return out;
}

/**
 * Resolves a verify key: a public source wins, else the public half of a private source.
 * @throws GaitError `sig_key_missing` (`public key not configured`), `sig_key_invalid`, `input_usage`
 * @example const { key } = loadVerifyKey({ publicKeyPath: 'gait_public.key' });
 */
export function loadVerifyKey(options: Omit<SigningKeyOptions, 'mode'> = {}): LoadedKey<VerifyKey> {
  return resolveVerifyKey({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env, ...keyPaths(options) });
}

/**
 * Writes a signed trace as 2-space JSON + `\n`, atomically, mode 0600 (gate.md §A7.2).
 * @throws GaitError `input_path` (a relative path with `..`), `storage_io`
 * @example writeTraceFile(`trace_${traceId}.json`, trace);
 */
export function writeTraceFile(path: string, trace: JsonObject, options: { readonly cwd?: string } = {}): void {
  assertSafeRelativePath(path, 'trace');
  // Validates the record is plain JSON (canonicalize throws on anything else) before writing.
  canonicalize(trace);
  writeFileAtomic(resolve(options.cwd ?? process.cwd(), path), `${JSON.stringify(trace, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Reads a trace file to its parsed JSON value, ready for `verifyTrace`.
 * @throws GaitError `input_*` (unreadable, empty, invalid UTF-8), `input_json` with line and column
 * @example verifyTrace(readTraceFile('trace.json'), key).ok;
 */
export function readTraceFile(path: string, options: InputFileOptions = {}): unknown {
  const text = readInputFile(resolve(options.cwd ?? process.cwd(), path), {
    label: 'trace',
    maxBytes: options.maxBytes ?? 4 * 1_048_576,
    displayPath: path,
  });
  return parseJsonText(text, { label: 'trace', file: path });
}

export { createJsonlExporter } from './exporters/jsonl-exporter.js';
export type { JsonlExporterOptions } from './exporters/jsonl-exporter.js';
export { createOtlpExporter } from './exporters/otlp-http.js';
export type { OtlpExporterOptions } from './exporters/otlp-http.js';
export { resolveOtlpConfig } from './exporters/otlp-config.js';
export type { OtlpConfig, OtlpFlags } from './exporters/otlp-config.js';
export { readJsonlFile } from './exporters/jsonl-read.js';
export type { JsonlRead } from './exporters/jsonl-read.js';

export interface RunpackFileOptions {
  /** Directory relative paths and run ids resolve against (default: the working directory). */
  readonly cwd?: string;
}

function runpackBytes(ref: string, options: RunpackFileOptions): { bytes: Uint8Array; display: string } {
  const found = resolveRunpackRef(ref, { cwd: options.cwd ?? process.cwd(), homeDir: homeDirOf(process.env) });
  return { bytes: readArtifactFile(found.path, { label: 'runpack', display: found.display }), display: found.display };
}

/**
 * Reads and integrity-checks a runpack named by path or run id (artifacts.md §2.7: `./gait-out/runpack_<id>.zip`,
 * then `~/.gait/runpacks/`).
 * @throws GaitError `input_path` (not found), the verification failures of `readRunpack`
 * @example const pack = await readRunpackFile('run_demo');
 */
export async function readRunpackFile(ref: string, options: RunpackFileOptions & { readonly limits?: Partial<ZipLimits> } = {}): Promise<Runpack> {
  return readRunpack(runpackBytes(ref, options).bytes, options.limits === undefined ? {} : { limits: options.limits });
}

/**
 * Verifies a runpack file (artifacts.md §2.8), as `gait verify` does.
 * @throws GaitError `input_path` (not found); a bad archive is a report, not a throw
 * @example verifyRunpackFile('gait-out/runpack_run_demo.zip', { key }).ok
 */
export function verifyRunpackFile(ref: string, options: VerifyArtifactOptions & RunpackFileOptions = {}): RunpackVerifyReport {
  return verifyRunpack(runpackBytes(ref, options).bytes, options);
}

/**
 * Records a runpack and writes it atomically to `<outDir>/runpack_<run_id>.zip` (mode 0600), with the
 * host environment as `env` defaults.
 * @throws GaitError as `recordRunpack`, `input_path`, `storage_io`
 * @example const { path } = recordRunpackFile(JSON.parse(text), { signingKey, outDir: 'gait-out' });
 */
export function recordRunpackFile(
  input: unknown,
  options: RecordRunpackOptions & RunpackFileOptions & { readonly outDir?: string } = {},
): BuiltRunpack & { readonly path: string } {
  const built = recordRunpack(input, { hostEnv: hostRunEnv(), ...options });
  if (/[\\/]/.test(built.runId) || built.runId.includes('\u0000')) throw new GaitError('input_usage', `run_id \`${built.runId}\` cannot name a file`);
  const path = writeArtifactFile(join(options.outDir ?? 'gait-out', `runpack_${built.runId}.zip`), built.bytes, options.cwd ?? process.cwd());
  return { ...built, path };
}

export interface RunRegressConfigOptions {
  /** `gait.yaml` path (default `gait.yaml`), relative to `cwd` */
  readonly config?: string;
  /** directory relative paths resolve against (default: the working directory) */
  readonly cwd?: string;
  /** replay every fixture under this policy file (default: fixture, then config policy, then `.gait.yaml`) */
  readonly policy?: string;
  /** write `regress_result.json` here (relative to `cwd`); default `regress_result.json`; `false` writes nothing */
  readonly output?: string | false;
  /** also write JUnit XML here (relative to `cwd`) */
  readonly junit?: string;
  /** sign the result record (artifacts.md §1.2) */
  readonly signingKey?: SigningKey;
  readonly contextConformance?: boolean;
  readonly allowContextRuntimeDrift?: boolean;
}

/**
 * `gait regress run` in-process (artifacts.md §4.3–§4.4): loads `gait.yaml` and every fixture,
 * replays the recorded intents through the current policy, grades, and writes the outputs.
 * @returns the report (as `runRegress`); `status` is `fail` on any failing grader (the CLI exits 5)
 * @throws GaitError `input_path` (config, runpack or policy missing), `artifact_invalid` (config,
 *   fixture, `no fixtures configured`), `policy_*`, `storage_io` — the CLI's exit 6 and 1 cases
 * @example const report = runRegressConfig({ junit: 'junit.xml' }); if (report.status === 'fail') process.exitCode = 5;
 */
export function runRegressConfig(options: RunRegressConfigOptions = {}): RegressReport {
  const cwd = options.cwd ?? process.cwd();
  const run = runRegressFiles({
    configPath: options.config ?? 'gait.yaml',
    cwd,
    ...(options.policy === undefined ? {} : { policyPath: options.policy }),
    contextConformance: options.contextConformance === true,
    allowContextRuntimeDrift: options.allowContextRuntimeDrift === true,
    producerVersion: GAIT_VERSION,
    differ: diffForRegress,
  });
  const result = options.signingKey === undefined ? run.record : signRegressResult(run.record, options.signingKey);
  const report: RegressReport = {
    status: run.status,
    fixtureSet: run.fixtureSet,
    graders: run.graders,
    failed: run.failed,
    topFailureReason: run.topFailureReason,
    result,
    resultText: formatRegressResult(result),
    junit: renderJunit(run.fixtureSet, run.graders),
  };
  if (options.output !== false) writeFileAtomic(resolve(cwd, options.output ?? 'regress_result.json'), report.resultText, { mode: 0o600 });
  if (options.junit !== undefined) writeFileAtomic(resolve(cwd, options.junit), report.junit, { mode: 0o600 });
  return report;
}

export { createDecisionService } from './transports/http/app.js';
export type { DecisionService, DecisionServiceOptions, HealthReport, ServiceLogEvent } from './transports/http/app.js';
