/**
 * `gait verify session-chain <chain.json>` (or `--chain`) (artifacts.md §2.12): checkpoint indices
 * 1..n, `prev_checkpoint_digest` linkage, `sequence_start` after the previous `sequence_end`,
 * recomputed checkpoint digests, and each checkpoint runpack (verify + `manifest_digest`). Output
 * `{ok, chain_path, session_id, run_id, checkpoints_checked, linkage_errors?, checkpoint_errors?}` plus
 * the chain's `signature_status`; exit 0 ok, 2 on any error, 6 for a chain that cannot be read.
 */
import type { SessionChainReport } from '../../../artifacts/session/verify-chain.js';
import { verifySessionChainFile } from '../../../storage/session-chain-file.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { positionalOrFlag, VERIFY_OPTIONS, verifySettings } from './artifact-options.js';

/** The §2.12 JSON members (`linkage_errors` / `checkpoint_errors` omit-empty). */
export function sessionChainReportJson(report: SessionChainReport, chainPath: string): Record<string, unknown> {
  return omitEmpty(
    {
      ok: report.ok,
      chain_path: chainPath,
      session_id: report.sessionId,
      run_id: report.runId,
      checkpoints_checked: report.checkpointsChecked,
      linkage_errors: report.linkageErrors,
      checkpoint_errors: report.checkpointErrors,
      signature_status: report.signatureStatus,
    },
    ['ok', 'chain_path', 'session_id', 'run_id', 'checkpoints_checked'],
  );
}

function human(report: SessionChainReport, chainPath: string): string[] {
  const head = `session chain ${report.ok ? 'ok' : 'failed'}: ${chainPath} session=${report.sessionId} run=${report.runId} checkpoints=${report.checkpointsChecked}`;
  return [
    head,
    `signature status: ${report.signatureStatus}`,
    ...report.linkageErrors.map((e) => `linkage error: ${e}`),
    ...report.checkpointErrors.map((e) => `checkpoint error: ${e}`),
  ];
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const chainPath = positionalOrFlag(ctx, 'chain', '--chain', 'session chain path');
  const settings = verifySettings(ctx);
  const report = verifySessionChainFile(chainPath, {
    cwd: ctx.io.cwd,
    requireSignature: settings.requireSignature,
    limits: settings.limits,
    ...(settings.key === undefined ? {} : { key: settings.key }),
  });
  return Promise.resolve({
    exitCode: report.ok ? EXIT.ok : EXIT.verificationFailed,
    json: sessionChainReportJson(report, chainPath),
    human: human(report, chainPath),
  });
}

export const verifySessionChainCommand: CommandSpec = {
  path: ['verify', 'session-chain'],
  summary: 'verify a session checkpoint chain: indices, digest linkage, sequence ranges and every checkpoint runpack (exit 0 ok, 2 failed)',
  args: ['[chain]'],
  options: [{ flags: '--chain <path>', description: 'chain file (alternative to the argument)' }, ...VERIFY_OPTIONS],
  run,
};
