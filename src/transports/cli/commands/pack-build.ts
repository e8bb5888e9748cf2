/**
 * `gait pack build --type run|job --from <…>` (artifacts.md §3.3, §3.5): a signed PackSpec pack.
 * Run packs come from a runpack (`<run_id|path>`), job packs from a job directory
 * (`<job_id|job dir|state.json>` under `--job-root`). The call and authorization types need runtimes
 * that are not built yet and are refused (exit 6, ADR 0004); `pack verify`, `inspect` and `diff`
 * accept every type.
 */
import { dirname, join } from 'node:path';
import { buildJobPack, buildRunPack } from '../../../artifacts/pack/build.js';
import type { BuiltPack } from '../../../artifacts/pack/build.js';
import type { SigningKey } from '../../../crypto/keys.js';
import { isPackType } from '../../../artifacts/pack/types.js';
import { GaitError } from '../../../errors/error.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { readJobFiles, resolveJobRef } from '../../../storage/job-files.js';
import { writeArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { ARTIFACT_KEY_OPTIONS, CAP_OPTIONS, loadArtifactSigner, loadRunpackRef, zipLimitsOf } from './artifact-options.js';
import { packOutput } from './pack-common.js';

/** The signing key, when one is available (§1.2). */
interface BuiltPackKey {
  readonly signingKey?: SigningKey;
}

interface BuildResult {
  readonly built: BuiltPack;
  /** The default output path. */
  readonly defaultOut: string;
}

function buildRun(ctx: CommandContext, from: string, signingKey: BuiltPackKey): BuildResult {
  if (from.endsWith('.json')) throw new GaitError('input_unsupported_feature', 'run packs from session chains are not built yet; pass a runpack');
  const source = loadRunpackRef(ctx, from);
  const built = buildRunPack(source.bytes, { producerVersion: GAIT_VERSION, limits: zipLimitsOf(ctx), ...signingKey });
  return { built, defaultOut: join(dirname(source.display), `pack_${built.packId}.zip`) };
}

function buildJob(ctx: CommandContext, from: string, signingKey: BuiltPackKey): BuildResult {
  const job = resolveJobRef(from, { cwd: ctx.io.cwd, jobRoot: optString(ctx, 'jobRoot') });
  const files = readJobFiles(job);
  const built = buildJobPack({ ...files, ...(job.jobId === '' ? {} : { expectedJobId: job.jobId }) }, { producerVersion: GAIT_VERSION, ...signingKey });
  return { built, defaultOut: join('gait-out', `pack_${built.packId}.zip`) };
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const type = optString(ctx, 'type');
  if (type === '') throw new GaitError('input_usage', '--type is required (run, job, call or authorization)');
  if (!isPackType(type)) throw new GaitError('input_usage', `unsupported --type "${type}" (expected run, job, call or authorization)`);
  if (type !== 'run' && type !== 'job') {
    throw new GaitError('input_unsupported_feature', `pack type ${type} needs the ${type} runtime, which is not built yet; build a run or job pack (--type run|job)`);
  }
  const from = optString(ctx, 'from');
  if (from === '') {
    throw new GaitError('input_usage', type === 'run' ? '--from is required (a runpack path or run_id)' : '--from is required (a job_id, job directory or state.json path)');
  }
  const signer = loadArtifactSigner(ctx);
  const key: BuiltPackKey = signer === undefined ? {} : { signingKey: signer.key };
  const { built, defaultOut } = type === 'run' ? buildRun(ctx, from, key) : buildJob(ctx, from, key);
  const out = optString(ctx, 'out') || defaultOut;
  writeArtifactFile(out, built.bytes, ctx.io.cwd);
  const json = packOutput('build', true, omitEmpty({
    path: out,
    pack_id: built.packId,
    pack_type: built.manifest.packType,
    source_ref: built.manifest.sourceRef,
    signature_status: built.signatureStatus,
    signature_key_id: built.keyId,
    warnings: signer?.warnings ?? [],
  }));
  return { exitCode: EXIT.ok, json, human: [`pack build ok: ${out} (${built.manifest.packType})`, ...(signer?.warnings ?? []).map((w) => `warning: ${w}`)] };
}

export const packBuildCommand: CommandSpec = {
  path: ['pack', 'build'],
  summary: 'build a signed PackSpec v1 pack from a runpack (--type run) or a job directory (--type job)',
  options: [
    { flags: '--type <type>', description: 'run or job (call and authorization need runtimes not built yet)' },
    { flags: '--from <ref>', description: 'run: runpack path or run_id; job: job_id, job directory or state.json path' },
    { flags: '--out <path>', description: 'output pack (default: run <runpack dir>/pack_<pack_id>.zip, job ./gait-out/pack_<pack_id>.zip)' },
    { flags: '--job-root <dir>', description: 'job runtime root for a job_id (job packs; default ./gait-out/jobs)' },
    ...ARTIFACT_KEY_OPTIONS,
    ...CAP_OPTIONS,
  ],
  run,
};
