/** `gait pack diff <left> <right>` (artifacts.md §3.7): exit 0 unchanged, 2 changed. */
import { diffPacks } from '../../../artifacts/pack/diff.js';
import type { PackDiff } from '../../../artifacts/pack/diff.js';
import { openPack } from '../../../artifacts/pack/open.js';
import { GaitError } from '../../../errors/error.js';
import { writeArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty, renderJsonLine } from '../output.js';
import { CAP_OPTIONS, zipLimitsOf } from './artifact-options.js';
import { loadPackFile, packOutput } from './pack-common.js';

/** The `gait.pack.diff` result object (§3.7). */
export function packDiffJson(d: PackDiff): Record<string, unknown> {
  const s = d.summary;
  return {
    schema_id: d.schemaId,
    schema_version: d.schemaVersion,
    created_at: d.createdAt,
    left_pack_id: d.leftPackId,
    right_pack_id: d.rightPackId,
    left_pack_type: d.leftPackType,
    right_pack_type: d.rightPackType,
    summary: omitEmpty(
      {
        changed: s.changed,
        added_files: s.addedFiles,
        removed_files: s.removedFiles,
        changed_files: s.changedFiles,
        manifest_delta: s.manifestDelta,
        context_changed: s.contextChanged,
        context_runtime_only_changes: s.contextRuntimeOnlyChanges,
        context_drift_classification: s.contextDriftClassification,
      },
      ['changed', 'manifest_delta'],
    ),
  };
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const [left = '', right = ''] = ctx.args;
  if (left === '' || right === '') throw new GaitError('input_usage', 'two packs are required (gait pack diff <left> <right>)');
  const limits = zipLimitsOf(ctx);
  const diff = diffPacks(openPack(loadPackFile(ctx, left), limits), openPack(loadPackFile(ctx, right), limits));
  const result = packDiffJson(diff);
  const output = optString(ctx, 'output');
  if (output !== '') writeArtifactFile(output, renderJsonLine(result), ctx.io.cwd);
  const changed = diff.summary.changed;
  return {
    exitCode: changed ? EXIT.verificationFailed : EXIT.ok,
    json: packOutput('diff', !changed, { diff: result, ...(output === '' ? {} : { output }) }),
    human: [`pack diff ${changed ? 'changed' : 'ok'}: ${left} vs ${right}`],
  };
}

export const packDiffCommand: CommandSpec = {
  path: ['pack', 'diff'],
  summary: 'compare two packs (files, manifest, context drift); exit 0 unchanged, 2 changed',
  args: ['<left>', '<right>'],
  options: [{ flags: '--output <file>', description: 'also write the gait.pack.diff result to this file (mode 0600)' }, ...CAP_OPTIONS],
  run,
};
