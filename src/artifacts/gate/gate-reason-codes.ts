/** Reason codes the gate pipeline adds after evaluation (gate.md §A14, approval and simulate groups). */
export const APPROVAL_TOKEN_MISSING = 'approval_token_missing';
export const APPROVAL_NOT_GRANTED = 'approval_not_granted';
export const APPROVAL_CHAIN_INSUFFICIENT = 'approval_chain_insufficient';
export const APPROVAL_DISTINCT_APPROVERS_REQUIRED = 'approval_distinct_approvers_required';
export const APPROVAL_GRANTED = 'approval_granted';
/** D4 extensions */
export const APPROVAL_TOKEN_REPLAYED = 'approval_token_replayed';
export const APPROVAL_LEDGER_UNAVAILABLE = 'approval_ledger_unavailable';
export const SIMULATE_MODE_NON_ENFORCING = 'simulate_mode_non_enforcing';
