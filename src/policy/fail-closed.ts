/**
 * Fail-closed pre-check (gate.md §A5.3), compiled once per policy. When it yields reasons the
 * verdict is `block` and no rule is evaluated (§A5.2 step 3).
 */
import type { Intent, IntentContext, Target } from '../schema/v1/intent-types.js';
import { sortUnique } from './code-list.js';
import type { FailClosed } from './model.js';
import * as RC from './reason-codes.js';

export interface FailClosedFinding {
  readonly reasons: readonly string[];
  readonly violations: readonly string[];
}

export interface CompiledFailClosed {
  /** Whether fail-closed applies to this (prepared or raw trimmed-lowercased) risk class. */
  readonly appliesTo: (riskClass: string) => boolean;
  /** The findings for a prepared intent, or undefined when fail-closed does not apply or nothing is missing. */
  readonly check: (intent: Intent) => FailClosedFinding | undefined;
}

type Check = (intent: Intent, reasons: string[], violations: string[]) => void;

function add(reasons: string[], violations: string[], reason: string, violation: string): void {
  reasons.push(reason);
  violations.push(violation);
}

function unknownClass(t: Target): boolean {
  // Normalization always infers a class, so '' cannot occur; kept because the spec names it.
  return (t.endpointClass as string) === '' || t.endpointClass === 'other';
}

function requiredFieldCheck(field: FailClosed['requiredFields'][number]): Check {
  switch (field) {
    case 'targets':
      return (i, r, v) => {
        if (i.targets.length === 0) add(r, v, RC.FAIL_CLOSED_MISSING_TARGETS, RC.MISSING_TARGETS);
      };
    case 'arg_provenance':
      return (i, r, v) => {
        if (i.argProvenance.length === 0) add(r, v, RC.FAIL_CLOSED_MISSING_ARG_PROVENANCE, RC.MISSING_ARG_PROVENANCE);
      };
    case 'endpoint_class':
      return (i, r, v) => {
        if (i.targets.some(unknownClass)) add(r, v, RC.FAIL_CLOSED_MISSING_ENDPOINT_CLASS, RC.MISSING_ENDPOINT_CLASS);
      };
    case 'delegation':
      return (i, r, v) => {
        if (i.delegation === undefined) add(r, v, RC.FAIL_CLOSED_MISSING_DELEGATION, RC.MISSING_DELEGATION);
      };
    case 'context_evidence':
      // Claims are stripped in the prepared intent without an envelope (§A3.6), so this fires then.
      return (i, r, v) => {
        if (i.context.contextSetDigest === '') add(r, v, RC.CONTEXT_EVIDENCE_MISSING, RC.MISSING_CONTEXT_EVIDENCE);
      };
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
}

type ContextString = Exclude<
  keyof IntentContext,
  'agentIdentity' | 'credentialTtlSeconds' | 'authContext' | 'sandbox' | 'credentialScopes' | 'contextRefs' | 'phase'
>;

/** High-risk context members (gate.md §A4.2) and how each reads as "empty". */
const HIGH_RISK_STRING_FIELDS: Readonly<Record<string, ContextString>> = {
  agent_id: 'agentId',
  run_id: 'runId',
  workflow_id: 'workflowId',
  repo: 'repo',
  environment: 'environment',
  credential_ref: 'credentialRef',
  credential_source: 'credentialSource',
  credential_access_type: 'credentialAccessType',
  credential_issuer: 'credentialIssuer',
  approval_ref: 'approvalRef',
  wrkr_inventory_ref: 'wrkrInventoryRef',
  agent_action_bom_ref: 'agentActionBomRef',
};

function highRiskIsEmpty(field: string): (c: IntentContext) => boolean {
  if (field === 'agent_identity') return (c) => c.agentIdentity === undefined;
  if (field === 'credential_ttl_seconds') return (c) => c.credentialTtlSeconds <= 0;
  const key = Object.hasOwn(HIGH_RISK_STRING_FIELDS, field) ? HIGH_RISK_STRING_FIELDS[field] : undefined;
  // An unknown field cannot be checked, so it always counts as missing (fail closed).
  if (key === undefined) return () => true;
  return (c) => c[key] === '';
}

function highRiskFieldCheck(field: string): Check {
  const isEmpty = highRiskIsEmpty(field);
  const reason = RC.FAIL_CLOSED_MISSING_PREFIX + field;
  const violation = RC.MISSING_PREFIX + field;
  return (i, r, v) => {
    if (isEmpty(i.context)) add(r, v, reason, violation);
  };
}

/** Always when fail-closed applies: any target with class '' or `other` (§A5.3 last item). */
const endpointClassUnknownCheck: Check = (i, r, v) => {
  if (i.targets.some(unknownClass)) add(r, v, RC.FAIL_CLOSED_ENDPOINT_CLASS_UNKNOWN, RC.ENDPOINT_CLASS_UNKNOWN);
};

/**
 * Compiles the fail-closed block of a policy (gate.md §A5.3).
 * @example compileFailClosed(policy.failClosed).check(prepared)?.reasons // ['fail_closed_missing_targets']
 */
export function compileFailClosed(fc: FailClosed): CompiledFailClosed {
  if (!fc.enabled || fc.riskClasses.length === 0) return { appliesTo: () => false, check: () => undefined };
  const riskClasses = new Set(fc.riskClasses);
  const checks: Check[] = [
    ...fc.requiredFields.map(requiredFieldCheck),
    ...fc.requiredHighRiskFields.map(highRiskFieldCheck),
    endpointClassUnknownCheck,
  ];
  return {
    appliesTo: (riskClass) => riskClasses.has(riskClass),
    check: (intent) => {
      if (!riskClasses.has(intent.context.riskClass)) return undefined;
      const reasons: string[] = [];
      const violations: string[] = [];
      for (const c of checks) c(intent, reasons, violations);
      if (reasons.length === 0) return undefined;
      return { reasons: sortUnique(reasons), violations: sortUnique(violations) };
    },
  };
}
