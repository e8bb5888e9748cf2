/** The ticket footer (artifacts.md §2.6): one line to paste into a ticket, naming the run and its manifest. */
import { GaitError } from '../../errors/error.js';

const FOOTER_RE = /^GAIT run_id=([A-Za-z0-9_-]+) manifest=sha256:([a-f0-9]{64}) verify="gait verify ([A-Za-z0-9_-]+)"$/;

/** Whether `line` is a contract-valid footer (the regex of §2.6, both run ids equal). */
export function isTicketFooter(line: string): boolean {
  const m = FOOTER_RE.exec(line);
  return m !== null && m[1] === m[3];
}

/**
 * `GAIT run_id=<run_id> manifest=sha256:<manifest_digest> verify="gait verify <run_id>"` (§2.6).
 * @throws GaitError `internal_failure` `ticket footer contract validation failed` when the line does not
 *   match the contract (e.g. a run id with `.`; exit 1 as the spec says)
 * @example ticketFooter('run_demo', digest)
 */
export function ticketFooter(runId: string, manifestDigest: string): string {
  const line = `GAIT run_id=${runId} manifest=sha256:${manifestDigest.toLowerCase()} verify="gait verify ${runId}"`;
  if (!isTicketFooter(line)) {
    throw new GaitError('internal_failure', 'ticket footer contract validation failed', { details: { run_id: runId } });
  }
  return line;
}
