/**
 * The emergency-stop step of MCP-path decisions (mcp-and-export.md §4 step 7): when the call names a
 * job that is emergency-stopped, or whose status cannot be read, the outcome becomes `block` (fail
 * closed). Pure: the job status comes in as a value; the caller (`runMcpEval`) builds and signs the
 * trace of the final outcome once.
 */
import type { TrustableOutcome } from '../../policy/mcp-trust.js';
import { sortedUnion } from '../gate/sorted.js';

export const EMERGENCY_STOP_PREEMPTED = 'emergency_stop_preempted';
export const EMERGENCY_STOP_STATE_UNAVAILABLE = 'emergency_stop_state_unavailable';
export const EMERGENCY_STOP_ACTIVE = 'emergency_stop_active';

/** What the transport found for the call's `context.job_id`. */
export type JobStopState =
  | { readonly status: 'none' }
  | { readonly status: 'running' }
  | { readonly status: 'stopped' }
  | { readonly status: 'unavailable'; readonly error: string };

export interface EmergencyStopOutcome {
  /** the outcome after the step: the given one, or `block` with the stop's reason and violation */
  readonly outcome: TrustableOutcome;
  /** whether the step changed the outcome */
  readonly preempted: boolean;
  /** `job_status_unavailable=<err>` when the status could not be read */
  readonly warnings: readonly string[];
}

/**
 * Applies §4 step 7 to the outcome of an MCP decision (gate and trust applied).
 * @example applyEmergencyStop({ verdict: 'allow', reasonCodes: [], violations: [] }, { status: 'unavailable', error: 'no such file' }).outcome.verdict // 'block'
 */
export function applyEmergencyStop(outcome: TrustableOutcome, state: JobStopState): EmergencyStopOutcome {
  if (state.status === 'none' || state.status === 'running') return { outcome, preempted: false, warnings: [] };
  const reason = state.status === 'stopped' ? EMERGENCY_STOP_PREEMPTED : EMERGENCY_STOP_STATE_UNAVAILABLE;
  const warnings = state.status === 'unavailable' ? [`job_status_unavailable=${state.error}`] : [];
  return {
    outcome: {
      verdict: 'block',
      reasonCodes: sortedUnion(outcome.reasonCodes, [reason]),
      violations: sortedUnion(outcome.violations, [EMERGENCY_STOP_ACTIVE]),
    },
    preempted: true,
    warnings,
  };
}
