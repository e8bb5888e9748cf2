/** Reason codes the gate pipeline adds after evaluation (gate.md §A14, approval and simulate groups). */
export const APPROVAL_TOKEN_MISSING = 'approval_token_missing';
export const APPROVAL_NOT_GRANTED = 'approval_not_granted';
export const SIMULATE_MODE_NON_ENFORCING = 'simulate_mode_non_enforcing';
