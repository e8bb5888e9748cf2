/**
 * Job status for the emergency-stop step (mcp-and-export.md §4 step 7). The job runtime is outside
 * these documents; gait reads `<job-root>/<job_id>/state.json` (the layout `gait demo --durable`
 * writes, artifacts.md) and treats `status: "emergency_stopped"` as stopped. Anything it cannot read
 * or understand is "unavailable", which blocks (fail closed).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobStopState } from '../../artifacts/mcp/emergency-stop.js';
import { JOB_STATUSES } from '../../artifacts/pack/job-payload.js';
import { formatTimestamp } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { jobDirOf as jobDir, readJobStateFile } from '../../storage/job-state-file.js';
import type { JobStateRead } from '../../storage/job-state-file.js';
import { appendJsonlLine } from '../../exporters/jsonl-append.js';

export { DEFAULT_JOB_ROOT } from '../../storage/job-files.js';
const STOPPED = new Set(['emergency_stopped', 'emergency-stopped', 'emergency_stop']);

/**
 * The stop state of one read of a job's state file (no job → `none`).
 * @returns never throws: unreadable, unparsable, unsafe ids and unknown statuses are `unavailable`
 */
export function jobStopStateOf(read: JobStateRead): JobStopState {
  if (read.kind === 'none') return { status: 'none' };
  if (read.kind === 'unreadable') return { status: 'unavailable', error: read.error };
  const { path } = read;
  const status = read.record['status'];
  if (typeof status !== 'string' || status.trim() === '') return { status: 'unavailable', error: `job state \`${path}\` has no status` };
  const normalized = status.trim().toLowerCase();
  if (STOPPED.has(normalized)) return { status: 'stopped' };
  // Fail closed: only a known job status counts as running; anything else is not understood.
  if ((JOB_STATUSES as readonly string[]).includes(normalized)) return { status: 'running' };
  return { status: 'unavailable', error: `job state \`${path}\` has unknown status \`${status}\`` };
}

/**
 * The stop state of `jobId` ('' → `none`).
 * @returns never throws: unreadable, unparsable or unsafe ids are `unavailable`
 */
export function readJobStopState(jobId: string, jobRoot: string, cwd: string): JobStopState {
  return jobStopStateOf(readJobStateFile(jobId, jobRoot, cwd));
}

/**
 * Appends the blocked-dispatch record (actor `mcp-proxy`, path `mcp.proxy`) to the job's
 * `events.jsonl` (§6.3 discipline). Only for a job whose directory exists.
 * @returns a warning when the record could not be written, else ''
 */
export function recordBlockedDispatch(
  jobId: string,
  jobRoot: string,
  cwd: string,
  entry: { readonly traceId: string; readonly toolName: string; readonly createdAt: Timestamp; readonly actor?: string; readonly path?: string },
): string {
  const dir = jobDir(jobRoot, jobId.trim(), cwd);
  if (!existsSync(dir)) return '';
  const record = {
    type: 'blocked_dispatch',
    job_id: jobId.trim(),
    actor: entry.actor ?? 'mcp-proxy',
    path: entry.path ?? 'mcp.proxy',
    reason_code: 'emergency_stop_preempted',
    tool_name: entry.toolName,
    trace_id: entry.traceId,
    created_at: formatTimestamp(entry.createdAt),
  };
  try {
    appendJsonlLine(join(dir, 'events.jsonl'), JSON.stringify(record));
    return '';
  } catch (err) {
    return `job_blocked_dispatch_unrecorded=${err instanceof Error ? err.message : String(err)}`;
  }
}
