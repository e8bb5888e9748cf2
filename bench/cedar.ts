/**
 * Baseline for figure 1: Cedar (`@cedar-policy/cedar-wasm`, the official Wasm build) deciding a
 * policy equivalent to the bench workload, with the policy set pre-parsed once
 * (`preparsePolicySet`) and each decision made by `statefulIsAuthorized`.
 *
 * Mapping of the gait policy onto Cedar (Cedar has only permit/forbid and defaults to deny):
 * - `allow-safe-write` -> a `permit` on action `tool.write` when some target kind is `path`, the
 *   workspace is `/tmp` or under `/tmp/`, and some provenance source is `user`;
 * - `block-external-host` -> a `forbid` on `tool.write` when some target kind is `host`;
 * - `fail_closed` for high/critical -> a `forbid` when targets or provenance are empty or some
 *   target's endpoint class is unknown;
 * - gait's `default_verdict: require_approval` -> Cedar's implicit deny.
 * Cedar has no "any element of a set of records" operator, so the request carries the target
 * kinds, endpoint classes and provenance sources as string sets, built once from the normalized
 * intent (as our evaluate receives a normalized intent).
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { AuthorizationAnswer, Context, StatefulAuthorizationCall } from '@cedar-policy/cedar-wasm/nodejs';
import type { Intent } from '../src/schema/v1/intent-types.js';

const POLICY_SET_ID = 'gait-bench';

/** The Cedar equivalent of `POLICY_YAML`, keyed by the gait rule names. */
export const CEDAR_POLICIES: Readonly<Record<string, string>> = {
  'allow-safe-write': `permit(principal, action == Action::"tool.write", resource)
when {
  context.target_kinds.contains("path") &&
  (context.workspace == "/tmp" || context.workspace like "/tmp/*") &&
  context.provenance_sources.contains("user")
};`,
  'block-external-host': `forbid(principal, action == Action::"tool.write", resource)
when { context.target_kinds.contains("host") };`,
  'fail-closed': `forbid(principal, action, resource)
when {
  ["high", "critical"].contains(context.risk_class) &&
  (context.target_kinds.isEmpty() || context.provenance_sources.isEmpty() ||
   context.endpoint_classes.contains("other") || context.endpoint_classes.contains(""))
};`,
};

function uniq(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The Cedar request for a normalized intent (built once, outside the timed loop). */
export function toCedarCall(intent: Intent): StatefulAuthorizationCall {
  const context: Context = {
    risk_class: intent.context.riskClass,
    workspace: intent.context.workspace,
    target_kinds: uniq(intent.targets.map((t) => t.kind)),
    target_values: uniq(intent.targets.map((t) => t.value)),
    endpoint_classes: uniq(intent.targets.map((t) => t.endpointClass)),
    provenance_sources: uniq(intent.argProvenance.map((p) => p.source)),
  };
  return {
    principal: { type: 'Agent', id: intent.context.identity },
    action: { type: 'Action', id: intent.toolName },
    resource: { type: 'Workspace', id: intent.context.workspace },
    context,
    preparsedPolicySetId: POLICY_SET_ID,
    entities: [],
  };
}

/** Pre-parses the policy set into the Wasm module's cache; call once before timing. */
export function preparseCedarPolicies(): void {
  const answer = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies: { ...CEDAR_POLICIES } });
  if (answer.type !== 'success') throw new Error(`cedar preparse failed: ${answer.errors.map((e) => e.message).join('; ')}`);
}

/** One Cedar decision: `allow` or `deny`, with the determining policy ids. */
export function cedarDecide(call: StatefulAuthorizationCall): AuthorizationAnswer {
  return cedar.statefulIsAuthorized(call);
}

/** `decision [policy ids]` of an answer, or the errors. */
export function describeAnswer(answer: AuthorizationAnswer): string {
  if (answer.type !== 'success') return `failure: ${answer.errors.map((e) => e.message).join('; ')}`;
  return `${answer.response.decision} [${answer.response.diagnostics.reason.join(',')}]`;
}

/** The Cedar library version, for the report. */
export function cedarVersion(): string {
  return cedar.getCedarVersion();
}

/**
 * Checks the equivalence claim on the bench intent and two variants that must be refused:
 * allowed by `allow-safe-write`; a host target forbidden by `block-external-host`; missing
 * provenance forbidden by `fail-closed`.
 */
export function assertCedarEquivalent(call: StatefulAuthorizationCall): void {
  const ctx = call.context;
  const cases: Array<[string, StatefulAuthorizationCall]> = [
    ['allow [allow-safe-write]', call],
    ['deny [block-external-host]', { ...call, context: { ...ctx, target_kinds: ['host'] } }],
    ['deny [fail-closed]', { ...call, context: { ...ctx, provenance_sources: [] } }],
  ];
  for (const [want, c] of cases) {
    const got = describeAnswer(cedarDecide(c));
    if (got !== want) throw new Error(`cedar baseline: expected ${want}, got ${got}`);
  }
}
