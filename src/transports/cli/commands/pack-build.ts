/**
 * `gait pack build --type run --from <run_id|path>` (artifacts.md §3.3, §3.5): a signed PackSpec run
 * pack. The job, call and authorization types need runtimes that are not built yet and are refused
 * (exit 6, ADR 0004); `pack verify`, `inspect` and `diff` accept every type.
 */
import { dirname, join } from 'node:path';
import { buildRunPack } from '../../../artifacts/pack/build.js';
import { isPackType } from '../../../artifacts/pack/types.js';
import { GaitError } from '../../../errors/error.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { writeArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { ARTIFACT_KEY_OPTIONS, CAP_OPTIONS, loadArtifactSigner, loadRunpackRef, zipLimitsOf } from './artifact-options.js';
import { packOutput } from './pack-common.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const type = optString(ctx, 'type');
  if (type === '') throw new GaitError('input_usage', '--type is required (run, job, call or authorization)');
  if (!isPackType(type)) throw new GaitError('input_usage', `unsupported --type "${type}" (expected run, job, call or authorization)`);
  if (type !== 'run') {
    throw new GaitError('input_unsupported_feature', `pack type ${type} needs the ${type} runtime, which is not built yet; build a run pack (--type run)`);
  }
  const from = optString(ctx, 'from');
  if (from === '') throw new GaitError('input_usage', '--from is required (a runpack path or run_id)');
  if (from.endsWith('.json')) throw new GaitError('input_unsupported_feature', 'run packs from session chains are not built yet; pass a runpack');
  const source = loadRunpackRef(ctx, from);
  const signer = loadArtifactSigner(ctx);
  const limits = zipLimitsOf(ctx);
  const built = buildRunPack(source.bytes, { producerVersion: GAIT_VERSION, limits, ...(signer === undefined ? {} : { signingKey: signer.key }) });
  const out = optString(ctx, 'out') || join(dirname(source.display), `pack_${built.packId}.zip`);
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
  summary: 'build a signed PackSpec v1 pack from a runpack (--type run)',
  options: [
    { flags: '--type <type>', description: 'run (job, call and authorization need runtimes not built yet)' },
    { flags: '--from <ref>', description: 'runpack path or run_id' },
    { flags: '--out <path>', description: 'output pack (default <runpack dir>/pack_<pack_id>.zip)' },
    { flags: '--job-root <dir>', description: 'job runtime root (job packs; default ./gait-out/jobs)' },
    ...ARTIFACT_KEY_OPTIONS,
    ...CAP_OPTIONS,
  ],
  run,
};
