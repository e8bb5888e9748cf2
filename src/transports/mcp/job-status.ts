/**
 * Job status for the emergency-stop step (mcp-and-export.md §4 step 7). The job runtime is outside
 * these documents; gait reads `<job-root>/<job_id>/state.json` (the layout `gait demo --durable`
 * writes, artifacts.md) and treats `status: "emergency_stopped"` as stopped. Anything it cannot read
 * or understand is "unavailable", which blocks (fail closed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JobStopState } from '../../artifacts/mcp/emergency-stop.js';
import { JOB_STATUSES } from '../../artifacts/pack/job-payload.js';
import { formatTimestamp } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { describeFsError } from '../../storage/read-input.js';
import { appendJsonlLine } from '../../exporters/jsonl-append.js';

export const DEFAULT_JOB_ROOT = './gait-out/jobs';
const SAFE_JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STOPPED = new Set(['emergency_stopped', 'emergency-stopped', 'emergency_stop']);

function jobDir(jobRoot: string, jobId: string, cwd: string): string {
  return join(resolve(cwd, jobRoot === '' ? DEFAULT_JOB_ROOT : jobRoot), jobId);
}

/**
 * The stop state of `jobId` ('' → `none`).
 * @returns never throws: unreadable, unparsable or unsafe ids are `unavailable`
 */
export function readJobStopState(jobId: string, jobRoot: string, cwd: string): JobStopState {
  const id = jobId.trim();
  if (id === '') return { status: 'none' };
  if (!SAFE_JOB_ID.test(id) || id.includes('..')) return { status: 'unavailable', error: `invalid job id \`${id}\`` };
  const path = join(jobDir(jobRoot, id, cwd), 'state.json');
  let status: unknown;
  try {
    status = (JSON.parse(readFileSync(path, 'utf8')) as { status?: unknown }).status;
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'invalid JSON' : describeFsError(err);
    return { status: 'unavailable', error: `cannot read job state \`${path}\`: ${reason}` };
  }
  if (typeof status !== 'string' || status.trim() === '') return { status: 'unavailable', error: `job state \`${path}\` has no status` };
  const normalized = status.trim().toLowerCase();
  if (STOPPED.has(normalized)) return { status: 'stopped' };
  // Fail closed: only a known job status counts as running; anything else is not understood.
  if ((JOB_STATUSES as readonly string[]).includes(normalized)) return { status: 'running' };
  return { status: 'unavailable', error: `job state \`${path}\` has unknown status \`${status}\`` };
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
