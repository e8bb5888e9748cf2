/**
 * Reason codes and violations the evaluator emits (gate.md §A14). Reason codes are product
 * vocabulary, not errors (STYLE.md §3): they live here, never in `errors/codes.ts`.
 */
import { lowerSimple } from '../schema/v1/text.js';
import type { Verdict } from './model.js';

/** Default path (gate.md §A5.5 step 2): `default_<verdict>`. */
export const DEFAULT_ALLOW = 'default_allow';
export const DEFAULT_BLOCK = 'default_block';
export const DEFAULT_DRY_RUN = 'default_dry_run';
export const DEFAULT_REQUIRE_APPROVAL = 'default_require_approval';

/** Prefix of the fallback reason of a rule without `reason_codes` (gate.md §A5.6). */
export const MATCHED_RULE_PREFIX = 'matched_rule_';

/** Fail-closed (gate.md §A5.2 step 2, §A5.3). */
export const FAIL_CLOSED_INTENT_INVALID = 'fail_closed_intent_invalid';
export const INTENT_NOT_EVALUABLE = 'intent_not_evaluable';
export const FAIL_CLOSED_MISSING_PREFIX = 'fail_closed_missing_';
export const MISSING_PREFIX = 'missing_';
export const FAIL_CLOSED_MISSING_TARGETS = 'fail_closed_missing_targets';
export const MISSING_TARGETS = 'missing_targets';
export const FAIL_CLOSED_MISSING_ARG_PROVENANCE = 'fail_closed_missing_arg_provenance';
export const MISSING_ARG_PROVENANCE = 'missing_arg_provenance';
export const FAIL_CLOSED_MISSING_ENDPOINT_CLASS = 'fail_closed_missing_endpoint_class';
export const MISSING_ENDPOINT_CLASS = 'missing_endpoint_class';
export const FAIL_CLOSED_MISSING_DELEGATION = 'fail_closed_missing_delegation';
export const MISSING_DELEGATION = 'missing_delegation';
export const CONTEXT_EVIDENCE_MISSING = 'context_evidence_missing';
export const MISSING_CONTEXT_EVIDENCE = 'missing_context_evidence';
export const FAIL_CLOSED_ENDPOINT_CLASS_UNKNOWN = 'fail_closed_endpoint_class_unknown';
export const ENDPOINT_CLASS_UNKNOWN = 'endpoint_class_unknown';

/** Phase escalation (gate.md §A5.6 step 8). */
export const PLAN_PHASE_NON_DESTRUCTIVE = 'plan_phase_non_destructive';
export const DESTRUCTIVE_APPLY_REQUIRES_APPROVAL = 'destructive_apply_requires_approval';

/** Dataflow defaults (gate.md §A4.3; the policy normalizer fills them in). */
export const DATAFLOW_TAINTED_DESTINATION = 'dataflow_tainted_destination';
export const TAINTED_DATAFLOW = 'tainted_dataflow';

/** Endpoint constraints (gate.md §A5.6 step 2); each is also its own violation. */
export const ENDPOINT_PATH_DENIED = 'endpoint_path_denied';
export const ENDPOINT_PATH_NOT_ALLOWLISTED = 'endpoint_path_not_allowlisted';
export const ENDPOINT_DOMAIN_DENIED = 'endpoint_domain_denied';
export const ENDPOINT_DOMAIN_NOT_ALLOWLISTED = 'endpoint_domain_not_allowlisted';
export const ENDPOINT_EGRESS_CLASS_NOT_ALLOWED = 'endpoint_egress_class_not_allowed';
export const ENDPOINT_DESTRUCTIVE_OPERATION = 'endpoint_destructive_operation';
export const DESTRUCTIVE_OPERATION = 'destructive_operation';
export const ENDPOINT_CONSTRAINT_VIOLATION = 'endpoint_constraint_violation';

/**
 * Context constraints (gate.md §A5.6 step 3, §B2); `context_evidence_missing` and
 * `missing_context_evidence` are shared with the fail-closed pre-check above.
 */
export const CONTEXT_SET_DIGEST_MISSING = 'context_set_digest_missing';
export const CONTEXT_EVIDENCE_MODE_MISMATCH = 'context_evidence_mode_mismatch';
export const CONTEXT_EVIDENCE_MODE_VIOLATION = 'context_evidence_mode_violation';
export const CONTEXT_FRESHNESS_EXCEEDED = 'context_freshness_exceeded';
export const CONTEXT_FRESHNESS_VIOLATION = 'context_freshness_violation';

/** Agent identity (gate.md §A5.6 step 4). */
export const AGENT_UNKNOWN = 'agent_unknown';
export const AGENT_IDENTITY_MISSING = 'agent_identity_missing';
export const AGENT_NOT_DECLARED = 'agent_not_declared';
export const AGENT_REVOKED = 'agent_revoked';
export const AGENT_OWNER_MISSING = 'agent_owner_missing';
export const AGENT_LIFECYCLE_STATE_INVALID = 'agent_lifecycle_state_invalid';
export const AGENT_EXPIRED = 'agent_expired';
export const AGENT_MANIFEST_MISMATCH = 'agent_manifest_mismatch';

/**
 * The fallback reason suffix of a rule name (gate.md §A5.6): JSON-string-encode the name (Go
 * encoding: `<` `>` `&` and U+2028/U+2029 escaped), strip leading and trailing `"`, replace spaces
 * and `-` with `_`, lowercase.
 * @example sanitizeRuleName('Block External-Host') // 'block_external_host'
 */
export function sanitizeRuleName(name: string): string {
  const encoded = jsonEncodeGo(name);
  let start = 0;
  let end = encoded.length;
  while (start < end && encoded.charCodeAt(start) === 0x22) start++;
  while (end > start && encoded.charCodeAt(end - 1) === 0x22) end--;
  return lowerSimple(encoded.slice(start, end).replace(/[ -]/g, '_'));
}

const HEX = '0123456789abcdef';

function u4(code: number): string {
  return '\\u' + HEX[(code >> 12) & 15]! + HEX[(code >> 8) & 15]! + HEX[(code >> 4) & 15]! + HEX[code & 15]!;
}

/** JSON string encoding as Go's encoding/json writes it (HTML-safe; lone surrogates become U+FFFD). */
function jsonEncodeGo(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += '\ufffd';
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\ufffd';
      continue;
    }
    out += escapeUnit(c, s[i]!);
  }
  return out + '"';
}

function escapeUnit(c: number, ch: string): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x3c:
    case 0x3e:
    case 0x26:
    case 0x2028:
    case 0x2029:
      return u4(c);
    default:
      return c < 0x20 ? u4(c) : ch;
  }
}

/**
 * The default-path reason of a verdict (gate.md §A5.5 step 2).
 * @example defaultReasonCode('block') // 'default_block'
 */
export function defaultReasonCode(verdict: Verdict): string {
  switch (verdict) {
    case 'allow':
      return DEFAULT_ALLOW;
    case 'block':
      return DEFAULT_BLOCK;
    case 'dry_run':
      return DEFAULT_DRY_RUN;
    case 'require_approval':
      return DEFAULT_REQUIRE_APPROVAL;
    default: {
      const unreachable: never = verdict;
      return unreachable;
    }
  }
}
