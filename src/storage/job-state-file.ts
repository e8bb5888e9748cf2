/**
 * One read of a job's `<job-root>/<job_id>/state.json` (the layout `gait demo --durable` writes). The
 * emergency-stop step (mcp-and-export.md §4 step 7) and the session event's safety invariants
 * (artifacts.md §2.12) both derive from it, so a request reads the file once and both see the same
 * version of it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSafeJobId } from '../artifacts/pack/job-payload.js';
import { DEFAULT_JOB_ROOT } from './job-files.js';
import { describeFsError } from './read-input.js';

export type JobStateRead =
  /** the call names no job */
  | { readonly kind: 'none' }
  /** the parsed file (a JSON value that is not an object reads as `{}`) */
  | { readonly kind: 'record'; readonly path: string; readonly record: Readonly<Record<string, unknown>> }
  /** an unsafe job id, or a file that cannot be read or parsed */
  | { readonly kind: 'unreadable'; readonly error: string };

/** The directory of `jobId` under `jobRoot` ('' = the default root). */
export function jobDirOf(jobRoot: string, jobId: string, cwd: string): string {
  return join(resolve(cwd, jobRoot === '' ? DEFAULT_JOB_ROOT : jobRoot), jobId);
}

/** Reads the job's state file; never throws. */
export function readJobStateFile(jobId: string, jobRoot: string, cwd: string): JobStateRead {
  const id = jobId.trim();
  if (id === '') return { kind: 'none' };
  if (!isSafeJobId(id)) return { kind: 'unreadable', error: `invalid job id \`${id}\`` };
  const path = join(jobDirOf(jobRoot, id, cwd), 'state.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'invalid JSON' : describeFsError(err);
    return { kind: 'unreadable', error: `cannot read job state \`${path}\`: ${reason}` };
  }
  const record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { kind: 'record', path, record };
}

/** A reader that reads each job's file at most once (one per request: both views see one version). */
export function jobStateReaderOnce(jobRoot: string, cwd: string): (jobId: string) => JobStateRead {
  const reads = new Map<string, JobStateRead>();
  return (jobId) => {
    let read = reads.get(jobId);
    if (read === undefined) {
      read = readJobStateFile(jobId, jobRoot, cwd);
      reads.set(jobId, read);
    }
    return read;
  };
}
