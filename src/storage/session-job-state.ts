/**
 * The job safety invariants a session event records (artifacts.md §2.12 `safety_invariant_version`,
 * `safety_invariant_hash`): taken from the job's `state.json` (`job-state-file.ts`) when the call
 * names a job and its state is readable; otherwise both are '' and the event omits them.
 */
import type { JobStateRead } from './job-state-file.js';

export interface SafetyInvariants {
  readonly version: string;
  readonly hash: string;
}

const NONE: SafetyInvariants = { version: '', hash: '' };

function text(state: Readonly<Record<string, unknown>>, key: string): string {
  const v = state[key];
  return typeof v === 'string' ? v.trim() : '';
}

/** The safety invariants of one read of the job's state (none when there is no readable record). */
export function safetyInvariantsOf(read: JobStateRead): SafetyInvariants {
  if (read.kind !== 'record') return NONE;
  return { version: text(read.record, 'safety_invariant_version'), hash: text(read.record, 'safety_invariant_hash') };
}
