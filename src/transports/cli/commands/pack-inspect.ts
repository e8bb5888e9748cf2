/** `gait pack inspect <pack.zip>` (artifacts.md §3.7): manifest, payload and lineage of a verified pack. */
import { inspectPack } from '../../../artifacts/pack/inspect.js';
import { openPack } from '../../../artifacts/pack/open.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { CAP_OPTIONS, positionalOrFlag, zipLimitsOf } from './artifact-options.js';
import { loadPackFile, packOutput } from './pack-common.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const path = positionalOrFlag(ctx, 'path', '--path', 'pack path');
  const view = inspectPack(openPack(loadPackFile(ctx, path), zipLimitsOf(ctx)));
  const inspect = omitEmpty(
    {
      pack_id: view.packId,
      pack_type: view.packType,
      source_ref: view.sourceRef,
      manifest: view.manifest,
      ...view.payloads,
      run_lineage: view.runLineage,
      job_lineage: view.jobLineage,
      legacy_type: view.legacyType,
    },
    ['pack_id', 'pack_type', 'source_ref', 'manifest'],
  );
  const human = [`pack inspect: ${path}`, `pack_id=${view.packId} pack_type=${view.packType} source_ref=${view.sourceRef}`];
  return { exitCode: EXIT.ok, json: packOutput('inspect', true, { inspect }), human };
}

export const packInspectCommand: CommandSpec = {
  path: ['pack', 'inspect'],
  summary: 'show the manifest, payload and lineage of a pack (verified first)',
  args: ['[pack]'],
  options: [{ flags: '--path <path>', description: 'pack path (alternative to the argument)' }, ...CAP_OPTIONS],
  run,
};
