/** `gait run receipt --from <run_id|path>` (artifacts.md §2.6): verify, then print the ticket footer. */
import { ticketFooter } from '../../../artifacts/runpack/footer.js';
import { verifyRunpack } from '../../../artifacts/runpack/verify.js';
import { GaitError } from '../../../errors/error.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { CAP_OPTIONS, loadRunpackRef, positionalOrFlag, zipLimitsOf } from './artifact-options.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const ref = positionalOrFlag(ctx, 'from', '--from', 'runpack path or run_id');
  const file = loadRunpackRef(ctx, ref);
  const report = verifyRunpack(file.bytes, { limits: zipLimitsOf(ctx) });
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    throw new GaitError('artifact_verification_failed', 'runpack verification failed', { details: { path: file.display, failed_checks: failed } });
  }
  const footer = ticketFooter(report.runId, report.manifestDigest);
  return {
    exitCode: EXIT.ok,
    json: { ok: true, run_id: report.runId, path: file.display, manifest_digest: report.manifestDigest, ticket_footer: footer },
    human: [footer],
  };
}

export const runReceiptCommand: CommandSpec = {
  path: ['run', 'receipt'],
  summary: 'verify a runpack and print its one-line ticket footer',
  args: ['[run]'],
  options: [{ flags: '--from <run>', description: 'runpack path or run_id (alternative to the argument)' }, ...CAP_OPTIONS],
  run,
};
