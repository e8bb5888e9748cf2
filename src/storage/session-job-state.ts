/**
 * The job safety invariants a session event records (artifacts.md §2.12 `safety_invariant_version`,
 * `safety_invariant_hash`): read from `<job-root>/<job_id>/state.json` when the call names a job and
 * its state is readable; otherwise both are '' and the event omits them.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSafeJobId } from '../artifacts/pack/job-payload.js';
import { DEFAULT_JOB_ROOT } from './job-files.js';

export interface SafetyInvariants {
  readonly version: string;
  readonly hash: string;
}

const NONE: SafetyInvariants = { version: '', hash: '' };

function text(state: Record<string, unknown>, key: string): string {
  const v = state[key];
  return typeof v === 'string' ? v.trim() : '';
}

/** The job's safety invariants; never throws (an unreadable or unsafe job reads as none). */
export function readSafetyInvariants(jobId: string, jobRoot: string, cwd: string): SafetyInvariants {
  const id = jobId.trim();
  if (id === '' || !isSafeJobId(id)) return NONE;
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(join(resolve(cwd, jobRoot === '' ? DEFAULT_JOB_ROOT : jobRoot), id, 'state.json'), 'utf8'));
  } catch {
    return NONE;
  }
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return NONE;
  const record = state as Record<string, unknown>;
  return { version: text(record, 'safety_invariant_version'), hash: text(record, 'safety_invariant_hash') };
}
