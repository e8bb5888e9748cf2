/**
 * Per-rule pipeline (gate.md §A5.6), compiled once per rule. Each triggered step merges its
 * reasons and violations and sets `effect := mostRestrictive(effect, step effect)`, so no step
 * can ever lift a more restrictive effect (D10).
 */
import type { Timestamp } from '../runtime/timestamp-type.js';
import { compareTimestamps, isZeroTime } from '../runtime/timestamp.js';
import type { Intent } from '../schema/v1/intent-types.js';
import { lowerSimple } from '../schema/v1/text.js';
import { EMPTY, mergeSorted, sortUnique } from './code-list.js';
import { compileContextConstraints } from './context-constraints.js';
import { compileAny, compileDomainPattern, compilePathPattern } from './glob.js';
import type { DataflowRule, EndpointRule, Rule, Verdict } from './model.js';
import * as RC from './reason-codes.js';
import { mostRestrictive } from './verdict.js';

export interface RuleOutcome {
  readonly effect: Verdict;
  /** sorted, unique */
  readonly reasons: readonly string[];
  /** sorted, unique */
  readonly violations: readonly string[];
  readonly minApprovals: number;
}

export interface PipelineContext {
  /** drives agent expiry (gate.md §A5.1) */
  readonly evaluationTime: Timestamp;
}

export type RulePipeline = (intent: Intent, ctx: PipelineContext) => RuleOutcome;

/** Mutable state of one rule evaluation; one allocation per call. */
interface Acc {
  effect: Verdict;
  reasons: string[] | undefined;
  violations: string[] | undefined;
}

type Step = (intent: Intent, ctx: PipelineContext, acc: Acc) => void;

function raise(acc: Acc, effect: Verdict, reasons: readonly string[], violations: readonly string[]): void {
  acc.effect = mostRestrictive(acc.effect, effect);
  if (reasons.length > 0) (acc.reasons ??= []).push(...reasons);
  if (violations.length > 0) (acc.violations ??= []).push(...violations);
}

/** Kinds that count as egress when a dataflow rule sets no destination filter (§A5.6 step 1). */
const DEFAULT_EGRESS_KINDS: ReadonlySet<string> = new Set(['host', 'url', 'bucket', 'queue', 'topic']);

/** Step 1 — dataflow taint (D10: combined most-restrictively, never downgrades a `block`). */
function dataflowStep(df: DataflowRule): Step {
  const tainted = new Set(df.taintedSources);
  const kinds = new Set(df.destinationKinds);
  const values = new Set(df.destinationValues);
  const ops = new Set(df.destinationOperations);
  const noFilters = kinds.size === 0 && values.size === 0 && ops.size === 0;
  const reasons = [df.reasonCode];
  const violations = [df.violation];
  return (intent, _ctx, acc) => {
    if (!intent.argProvenance.some((p) => tainted.has(p.source))) return;
    const hit = intent.targets.some((t) =>
      noFilters
        ? DEFAULT_EGRESS_KINDS.has(t.kind)
        : (kinds.size === 0 || kinds.has(t.kind)) && (values.size === 0 || values.has(t.value)) && (ops.size === 0 || ops.has(t.operation)),
    );
    if (hit) raise(acc, df.action, reasons, violations);
  };
}

/** Step 2 — endpoint constraints; triggers only when at least one reason was collected. */
function endpointStep(ep: EndpointRule): Step {
  const pathDenied = ep.pathDenylist.length > 0 ? compileAny(ep.pathDenylist, compilePathPattern) : undefined;
  const pathAllowed = ep.pathAllowlist.length > 0 ? compileAny(ep.pathAllowlist, compilePathPattern) : undefined;
  const domainDenied = ep.domainDenylist.length > 0 ? compileAny(ep.domainDenylist, compileDomainPattern) : undefined;
  const domainAllowed = ep.domainAllowlist.length > 0 ? compileAny(ep.domainAllowlist, compileDomainPattern) : undefined;
  const egress = new Set<string>(ep.egressClasses);
  const destructiveAction = ep.destructiveAction;
  return (intent, _ctx, acc) => {
    const found: string[] = [];
    const violations: string[] = [];
    for (const t of intent.targets) {
      if (t.kind === 'path') {
        if (pathDenied?.(t.value) === true) found.push(RC.ENDPOINT_PATH_DENIED);
        if (pathAllowed !== undefined && !pathAllowed(t.value)) found.push(RC.ENDPOINT_PATH_NOT_ALLOWLISTED);
      }
      if (t.endpointDomain !== '') {
        if (domainDenied?.(t.endpointDomain) === true) found.push(RC.ENDPOINT_DOMAIN_DENIED);
        if (domainAllowed !== undefined && !domainAllowed(t.endpointDomain)) found.push(RC.ENDPOINT_DOMAIN_NOT_ALLOWLISTED);
      }
      if (egress.size > 0 && t.endpointClass.startsWith('net.') && !egress.has(t.endpointClass)) {
        found.push(RC.ENDPOINT_EGRESS_CLASS_NOT_ALLOWED);
      }
    }
    violations.push(...found);
    let effect: Verdict = ep.action;
    if (destructiveAction !== '' && intent.targets.some((t) => t.destructive)) {
      effect = mostRestrictive(effect, destructiveAction);
      found.push(RC.ENDPOINT_DESTRUCTIVE_OPERATION);
      violations.push(RC.DESTRUCTIVE_OPERATION);
    }
    if (found.length === 0) return;
    found.push(ep.reasonCode);
    violations.push(ep.violation);
    raise(acc, effect, found, violations);
  };
}

/** Step 3 — context constraints (§B2); step effect `block`. */
function contextStep(rule: Rule): Step | undefined {
  const check = compileContextConstraints(rule);
  if (check === undefined) return undefined;
  return (intent, _ctx, acc) => {
    const finding = check(intent);
    if (finding !== undefined) raise(acc, 'block', finding.reasons, finding.violations);
  };
}

function agentIdentityEnabled(r: Rule): boolean {
  return (
    r.requireDeclaredAgent ||
    r.allowedAgentIds.length > 0 ||
    r.deniedAgentIds.length > 0 ||
    r.requiredAgentManifestDigest !== '' ||
    r.allowedAgentManifestPublishers.length > 0 ||
    r.allowedAgentManifestSources.length > 0 ||
    r.requiredAgentLifecycleStates.length > 0 ||
    r.requireAgentOwner ||
    r.requireUnexpiredAgent
  );
}

/** Step 4 — agent identity; step effect `block` (§A5.6 step 4). Expiry uses the evaluation time. */
function agentIdentityStep(r: Rule): Step {
  const allowed = new Set(r.allowedAgentIds);
  const denied = new Set(r.deniedAgentIds);
  const publishers = new Set(r.allowedAgentManifestPublishers);
  const sources = new Set(r.allowedAgentManifestSources);
  const states = r.requiredAgentLifecycleStates;
  return (intent, ctx, acc) => {
    const agentId = intent.context.agentId;
    const id = intent.context.agentIdentity;
    const reasons: string[] = [];
    const violations: string[] = [];
    const add = (reason: string, violation: string = reason): void => {
      reasons.push(reason);
      violations.push(violation);
    };
    if (r.requireDeclaredAgent && (agentId === '' || id === undefined)) add(RC.AGENT_UNKNOWN, RC.AGENT_IDENTITY_MISSING);
    if (agentId !== '' && denied.has(agentId)) add(RC.AGENT_REVOKED);
    if (id?.revoked === true) add(RC.AGENT_REVOKED);
    if (allowed.size > 0 && (agentId === '' || !allowed.has(agentId))) add(RC.AGENT_UNKNOWN, RC.AGENT_NOT_DECLARED);
    if (r.requireAgentOwner && (id === undefined || id.owner === '')) add(RC.AGENT_OWNER_MISSING);
    if (states.length > 0 && (id === undefined || !states.every((s) => id.lifecycleStates.includes(s)))) {
      add(RC.AGENT_LIFECYCLE_STATE_INVALID);
    }
    if (r.requireUnexpiredAgent) {
      const exp = id?.expiresAt ?? null;
      if (exp === null || isZeroTime(exp) || compareTimestamps(exp, ctx.evaluationTime) <= 0) add(RC.AGENT_EXPIRED);
    }
    if (r.requiredAgentManifestDigest !== '' && id?.manifestDigest !== r.requiredAgentManifestDigest) add(RC.AGENT_MANIFEST_MISMATCH);
    if (publishers.size > 0 && (id === undefined || !publishers.has(lowerSimple(id.publisher)))) add(RC.AGENT_MANIFEST_MISMATCH);
    if (sources.size > 0 && (id === undefined || !sources.has(id.source))) add(RC.AGENT_MANIFEST_MISMATCH);
    if (reasons.length > 0) raise(acc, 'block', reasons, violations);
  };
}

const PLAN_REASONS = [RC.PLAN_PHASE_NON_DESTRUCTIVE];
const APPLY_REASONS = [RC.DESTRUCTIVE_APPLY_REQUIRES_APPROVAL];

/**
 * Step 8 — destructive escalation. The sandbox exception (a `valid` sandbox decision on an
 * all-`proc.exec` intent) needs §B9, which is refused at compile time, so it never applies here.
 */
const destructiveStep: Step = (intent, _ctx, acc) => {
  if (!intent.targets.some((t) => t.destructive)) return;
  const phase = intent.context.phase;
  switch (phase) {
    case 'plan':
      raise(acc, 'dry_run', PLAN_REASONS, EMPTY);
      return;
    case 'apply':
      raise(acc, 'require_approval', APPLY_REASONS, EMPTY);
      return;
    default: {
      // INVARIANT: normalization admits only plan|apply; an unknown phase escalates like apply.
      const unknown: never = phase;
      raise(acc, 'require_approval', APPLY_REASONS, EMPTY);
      return unknown;
    }
  }
};

/** A rule's own reasons: `reason_codes`, or `["matched_rule_" + sanitize(name)]` when empty (§A5.6). */
export function ruleBaseReasons(rule: Rule): readonly string[] {
  return rule.reasonCodes.length > 0 ? sortUnique(rule.reasonCodes) : [RC.MATCHED_RULE_PREFIX + RC.sanitizeRuleName(rule.name)];
}

/**
 * The outcome used when a rule's matcher or pipeline throws: its own reasons with effect `block`
 * (fail closed, STYLE.md §4); the caller records the error in diagnostics.
 */
export function failedRuleOutcome(rule: Rule): RuleOutcome {
  return { effect: 'block', reasons: ruleBaseReasons(rule), violations: sortUnique(rule.violations), minApprovals: rule.minApprovals };
}

/**
 * Compiles the per-rule pipeline of gate.md §A5.6.
 * @example compileRulePipeline(rule)(prepared, { evaluationTime }).effect // 'require_approval'
 */
export function compileRulePipeline(rule: Rule): RulePipeline {
  const steps: Step[] = [];
  if (rule.dataflow?.enabled === true) steps.push(dataflowStep(rule.dataflow)); // step 1
  if (rule.endpoint?.enabled === true) steps.push(endpointStep(rule.endpoint)); // step 2
  const context = contextStep(rule);
  if (context !== undefined) steps.push(context); // step 3
  if (agentIdentityEnabled(rule)) steps.push(agentIdentityStep(rule)); // step 4
  // Part B (§B4): step 5, credential constraints — refused at compile time
  // Part B (§B8): step 6, freeze window — refused at compile time
  // Part B (§B9): step 7, sandbox — refused at compile time
  steps.push(destructiveStep); // step 8

  const baseReasons = ruleBaseReasons(rule);
  const baseViolations = sortUnique(rule.violations);
  return (intent, ctx) => {
    const acc: Acc = { effect: rule.effect, reasons: undefined, violations: undefined };
    for (const step of steps) step(intent, ctx, acc);
    const effect = acc.effect;
    return {
      effect,
      reasons: acc.reasons === undefined ? baseReasons : mergeSorted(baseReasons, sortUnique(acc.reasons)),
      violations: acc.violations === undefined ? baseViolations : mergeSorted(baseViolations, sortUnique(acc.violations)),
      // step 9
      minApprovals: effect === 'require_approval' && rule.minApprovals === 0 ? 1 : rule.minApprovals,
    };
  };
}
