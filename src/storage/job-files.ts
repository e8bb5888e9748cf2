/**
 * Job directories on disk (artifacts.md §3.3 "job", §3.5): resolving `--from <job_id|job dir|state.json>`
 * under `--job-root` (default `./gait-out/jobs`) and reading a job's `state.json` and `events.jsonl`.
 * The job runtime that writes them is outside these documents.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isSafeJobId } from '../artifacts/pack/job-payload.js';
import { GaitError } from '../errors/index.js';
import { readArtifactFile } from './runpack-files.js';

export const DEFAULT_JOB_ROOT = './gait-out/jobs';

export interface ResolvedJob {
  /** Absolute path of `state.json`. */
  readonly statePath: string;
  /** Absolute path of `events.jsonl` (may not exist). */
  readonly eventsPath: string;
  /** The state file as shown to the user. */
  readonly display: string;
  /** The job id the value named ('' when it was a path). */
  readonly jobId: string;
}

export interface ResolveJobOptions {
  readonly cwd: string;
  /** `--job-root`; '' → `./gait-out/jobs`. */
  readonly jobRoot: string;
}

/** Whether a `--from` value names a path: it contains `/` or `\`, or ends in `.json`. */
export function isJobPathRef(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.endsWith('.json');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Resolves `<job_id|job dir|state.json>`: a path names a job directory or a state file (its
 * directory holds `events.jsonl`); anything else is a job id, looked up as `<job-root>/<job_id>/state.json`.
 * @throws GaitError `input_usage` (`unsafe job id …`), `input_path` (`job not found: …`; all exit 6)
 */
export function resolveJobRef(value: string, options: ResolveJobOptions): ResolvedJob {
  if (value === '') throw new GaitError('input_usage', 'job id, job directory or state.json path is required');
  if (isJobPathRef(value)) {
    const full = resolve(options.cwd, value);
    if (!existsSync(full)) throw new GaitError('input_path', `job not found: ${value}`, { details: { path: value } });
    if (isDirectory(full)) {
      return { statePath: join(full, 'state.json'), eventsPath: join(full, 'events.jsonl'), display: join(value, 'state.json'), jobId: '' };
    }
    return { statePath: full, eventsPath: join(dirname(full), 'events.jsonl'), display: value, jobId: '' };
  }
  if (!isSafeJobId(value)) {
    throw new GaitError('input_usage', `unsafe job id \`${value}\`: a job id is letters, digits, \`.\`, \`_\` and \`-\`, starts with a letter or digit and has no \`..\``, {
      details: { job_id: value },
    });
  }
  const root = options.jobRoot === '' ? DEFAULT_JOB_ROOT : options.jobRoot;
  const dir = join(resolve(options.cwd, root), value);
  const display = join(root, value, 'state.json');
  if (!existsSync(join(dir, 'state.json'))) {
    throw new GaitError('input_path', `job not found: ${value} (no ${display})`, { details: { job_id: value, job_root: root } });
  }
  return { statePath: join(dir, 'state.json'), eventsPath: join(dir, 'events.jsonl'), display, jobId: value };
}

export interface JobFiles {
  readonly state: Uint8Array;
  /** Empty when the job has no `events.jsonl`. */
  readonly events: Uint8Array;
}

/**
 * Reads a resolved job's state and events (a missing `events.jsonl` reads as empty).
 * @throws GaitError `input_path` (missing or unreadable state, a directory), `input_too_large`
 */
export function readJobFiles(job: ResolvedJob): JobFiles {
  if (!existsSync(job.statePath)) throw new GaitError('input_path', `job state not found: ${job.display}`, { details: { path: job.display } });
  const state = readArtifactFile(job.statePath, { label: 'job state', display: job.display });
  const eventsDisplay = join(dirname(job.display), basename(job.eventsPath));
  const events = existsSync(job.eventsPath) ? readArtifactFile(job.eventsPath, { label: 'job events', display: eventsDisplay }) : new Uint8Array(0);
  return { state, events };
}
