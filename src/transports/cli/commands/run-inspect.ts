/** `gait run inspect --from <run_id|path>` (artifacts.md §2.9): the intents of a runpack with their first result. */
import { inspectRunpack } from '../../../artifacts/runpack/inspect.js';
import { readRunpackSync } from '../../../artifacts/runpack/read.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { CAP_OPTIONS, loadRunpackRef, positionalOrFlag, zipLimitsOf } from './artifact-options.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const ref = positionalOrFlag(ctx, 'from', '--from', 'runpack path or run_id');
  const file = loadRunpackRef(ctx, ref);
  const view = inspectRunpack(readRunpackSync(file.bytes, { limits: zipLimitsOf(ctx) }));
  const json = omitEmpty({
    ok: true,
    artifact_type: 'runpack',
    run_id: view.runId,
    path: file.display,
    capture_mode: view.captureMode,
    intents_total: view.intentsTotal,
    results_total: view.resultsTotal,
    entries: view.entries.map((e) => ({
      index: e.index,
      intent_id: e.intentId,
      tool_name: e.toolName,
      created_at: e.createdAt,
      args_digest: e.argsDigest,
      status: e.status,
      result_digest: e.resultDigest,
      verdict: e.verdict,
      reason_codes: e.reasonCodes,
      violations: e.violations,
    })),
    unmatched_results: view.unmatchedResults,
    warnings: view.warnings,
  }, ['ok', 'intents_total', 'results_total', 'entries']);
  const human = [
    `run inspect: run_id=${view.runId} intents=${view.intentsTotal} results=${view.resultsTotal} capture_mode=${view.captureMode}`,
    `path: ${file.display}`,
    ...view.entries.map((e) => `${e.index}. intent=${e.intentId} tool=${e.toolName} status=${e.status === '' ? 'missing_result' : e.status}`),
    ...view.warnings.map((w) => `warning: ${w}`),
  ];
  return { exitCode: EXIT.ok, json, human };
}

export const runInspectCommand: CommandSpec = {
  path: ['run', 'inspect'],
  summary: 'show the intents of a runpack with their recorded results (integrity-checked first)',
  args: ['[run]'],
  options: [{ flags: '--from <run>', description: 'runpack path or run_id (alternative to the argument)' }, ...CAP_OPTIONS],
  run,
};
