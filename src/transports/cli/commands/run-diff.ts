/**
 * `gait run diff <left> <right>` (artifacts.md §2.10): both runpacks fully read (integrity failures
 * exit 2), refs re-normalized, then compared. Exit 0 unchanged, 2 changed.
 */
import { diffRunpacks } from '../../../artifacts/runpack/diff.js';
import type { DiffPrivacy, RunpackDiff } from '../../../artifacts/runpack/diff.js';
import { normalizeRefs } from '../../../artifacts/runpack/normalize.js';
import { readRunpackSync } from '../../../artifacts/runpack/read.js';
import type { Runpack } from '../../../artifacts/runpack/types.js';
import { GaitError, isGaitError } from '../../../errors/error.js';
import { writeArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty, renderJsonLine } from '../output.js';
import { CAP_OPTIONS, loadRunpackRef, zipLimitsOf } from './artifact-options.js';

function readSide(ctx: CommandContext, ref: string): Runpack {
  const file = loadRunpackRef(ctx, ref);
  const pack = readRunpackSync(file.bytes, { limits: zipLimitsOf(ctx) });
  let refs;
  try {
    refs = normalizeRefs(pack.refs);
  } catch (err) {
    if (!isGaitError(err)) throw err;
    throw new GaitError('artifact_verification_failed', `runpack ${file.display}: refs.json: ${err.message}`, { cause: err });
  }
  if (refs.contextEvidenceMode === 'required' && refs.contextSetDigest === '') {
    throw new GaitError('artifact_verification_failed', `runpack ${file.display}: context evidence mode required but context_set_digest is missing`);
  }
  return { ...pack, refs };
}

/** The §2.10 summary as wire JSON. */
export function diffSummaryJson(diff: RunpackDiff): Record<string, unknown> {
  const s = diff.summary;
  return omitEmpty(
    {
      run_id_left: s.runIdLeft,
      run_id_right: s.runIdRight,
      manifest_changed: s.manifestChanged,
      files_changed: s.filesChanged,
      intents_changed: s.intentsChanged,
      results_changed: s.resultsChanged,
      refs_changed: s.refsChanged,
      left_only_intents: s.leftOnlyIntents,
      right_only_intents: s.rightOnlyIntents,
      left_only_results: s.leftOnlyResults,
      right_only_results: s.rightOnlyResults,
      context_drift_classification: s.contextDriftClassification,
      context_runtime_only_changes: s.contextRuntimeOnlyChanges,
    },
    ['run_id_left', 'run_id_right', 'manifest_changed', 'intents_changed', 'results_changed', 'refs_changed'],
  );
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const [left = '', right = ''] = ctx.args;
  if (left === '' || right === '') throw new GaitError('input_usage', 'two runpacks are required (gait run diff <left> <right>)');
  if (left.endsWith('.json') && right.endsWith('.json')) {
    throw new GaitError('input_unsupported_feature', 'session chain diff is not built yet; pass two runpacks');
  }
  const privacy = optString(ctx, 'privacy') || 'full';
  if (privacy !== 'full' && privacy !== 'metadata') throw new GaitError('input_usage', `unsupported --privacy value "${privacy}" (expected full or metadata)`);
  const diff = diffRunpacks(readSide(ctx, left), readSide(ctx, right), privacy as DiffPrivacy);
  const summary = diffSummaryJson(diff);
  const output = optString(ctx, 'output');
  if (output !== '') writeArtifactFile(output, renderJsonLine({ privacy, summary }), ctx.io.cwd);
  const human = [`diff ${diff.ok ? 'ok' : 'changed'}: ${left} vs ${right}`];
  if (diff.summary.filesChanged.length > 0) human.push(`files changed: ${diff.summary.filesChanged.join(',')}`);
  return {
    exitCode: diff.ok ? EXIT.ok : EXIT.verificationFailed,
    json: omitEmpty({ ok: diff.ok, privacy, summary, output }),
    human,
  };
}

export const runDiffCommand: CommandSpec = {
  path: ['run', 'diff'],
  summary: 'compare two runpacks (manifest, intents, results, context refs); exit 0 unchanged, 2 changed',
  args: ['<left>', '<right>'],
  options: [
    { flags: '--privacy <mode>', description: 'full (default) or metadata (payloads ignored, refs by count)' },
    { flags: '--output <file>', description: 'also write {privacy, summary} to this file (mode 0600)' },
    ...CAP_OPTIONS,
  ],
  run,
};
