/**
 * Rule matching (gate.md §A5.4): a rule's `match` block compiled once into one predicate over the
 * prepared intent. All set criteria must hold; unset or empty lists are ignored. Policy lists are
 * already normalized (lowered where the spec says so), so matching is Set lookups.
 */
import type { JsonObject } from '../schema/v1/json-types.js';
import type { Delegation, Intent, Target } from '../schema/v1/intent-types.js';
import { lowerSimple } from '../schema/v1/text.js';
import type { Match, ToolAnnotations } from './model.js';

export type IntentPredicate = (intent: Intent) => boolean;

const ALWAYS: IntentPredicate = () => true;

/** Any target whose `field` value is in `set`. */
function anyTarget(set: ReadonlySet<string>, field: (t: Target) => string): IntentPredicate {
  return (intent) => {
    for (const t of intent.targets) if (set.has(field(t))) return true;
    return false;
  };
}

/**
 * Workspace prefixes on path-segment boundaries (D3): workspace equals P, starts with P + `/`, or
 * P ends with `/` and workspace starts with P. `/repo/app` does not match `/repo/application`.
 */
export function compileWorkspacePrefixes(prefixes: readonly string[]): (workspace: string) => boolean {
  const entries = prefixes.map((p) => ({ exact: p, under: p.endsWith('/') ? p : p + '/' }));
  return (workspace) => {
    for (const e of entries) if (workspace === e.exact || workspace.startsWith(e.under)) return true;
    return false;
  };
}

/** `auth_context[key]` as a lowercased string, '' when missing, empty or not a string (§A5.4). */
function wrkrValue(authContext: JsonObject | undefined, key: string): string {
  if (authContext === undefined || !Object.hasOwn(authContext, key)) return '';
  const v = authContext[key];
  return typeof v === 'string' ? lowerSimple(v) : '';
}

function contextCriterion(list: readonly string[], key: string): IntentPredicate | undefined {
  if (list.length === 0) return undefined;
  const set = new Set(list);
  return (intent) => {
    const v = wrkrValue(intent.context.authContext, key);
    return v !== '' && set.has(v);
  };
}

function listCriterion(list: readonly string[], build: (set: ReadonlySet<string>) => IntentPredicate): IntentPredicate | undefined {
  return list.length === 0 ? undefined : build(new Set(list));
}

/** For each set hint, some target's hint equals it (§A5.4 `tool_annotations`). */
function annotationsCriterion(a: ToolAnnotations | undefined): IntentPredicate | undefined {
  if (a === undefined) return undefined;
  const checks: ((t: Target) => boolean)[] = [];
  const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = a;
  if (readOnlyHint !== undefined) checks.push((t) => t.readOnlyHint === readOnlyHint);
  if (destructiveHint !== undefined) checks.push((t) => t.destructiveHint === destructiveHint);
  if (idempotentHint !== undefined) checks.push((t) => t.idempotentHint === idempotentHint);
  if (openWorldHint !== undefined) checks.push((t) => t.openWorldHint === openWorldHint);
  if (checks.length === 0) return undefined;
  return (intent) => checks.every((check) => intent.targets.some(check));
}

/** Delegation criteria (§A5.4), active when any delegation key is set; delegation must then be present. */
function delegationCriterion(m: Match): IntentPredicate | undefined {
  const constrained =
    m.requireDelegation ||
    m.allowedDelegatorIdentities.length > 0 ||
    m.allowedDelegateIdentities.length > 0 ||
    m.delegationScopes.length > 0 ||
    m.maxDelegationDepth !== undefined;
  if (!constrained) return undefined;
  const maxDepth = m.maxDelegationDepth;
  const delegators = new Set(m.allowedDelegatorIdentities);
  const delegates = new Set(m.allowedDelegateIdentities);
  const scopes = new Set(m.delegationScopes);
  const check = (d: Delegation): boolean => {
    if (maxDepth !== undefined && d.chain.length > maxDepth) return false;
    if (delegators.size > 0 && !d.chain.some((l) => delegators.has(l.delegatorIdentity))) return false;
    if (delegates.size > 0 && !delegates.has(d.requesterIdentity) && !d.chain.some((l) => delegates.has(l.delegateIdentity))) {
      return false;
    }
    if (scopes.size > 0 && !scopes.has(d.scopeClass) && !d.chain.some((l) => scopes.has(l.scopeClass))) return false;
    return true;
  };
  return (intent) => intent.delegation !== undefined && check(intent.delegation);
}

/**
 * Compiles a rule's match block into one predicate (gate.md §A5.4). Cheap scalar criteria run first.
 * @example compileMatch(rule.match)(preparedIntent) // true when every set criterion holds
 */
export function compileMatch(m: Match): IntentPredicate {
  const candidates: (IntentPredicate | undefined)[] = [
    listCriterion(m.toolNames, (s) => (i) => s.has(i.toolName)),
    listCriterion(m.riskClasses, (s) => (i) => s.has(i.context.riskClass)),
    listCriterion(m.identities, (s) => (i) => s.has(i.context.identity)),
    m.workspacePrefixes.length === 0
      ? undefined
      : ((ws) => (i: Intent) => ws(i.context.workspace))(compileWorkspacePrefixes(m.workspacePrefixes)),
    contextCriterion(m.contextToolNames, 'wrkr.tool_name'),
    contextCriterion(m.contextDataClasses, 'wrkr.data_class'),
    contextCriterion(m.contextEndpointClasses, 'wrkr.endpoint_class'),
    contextCriterion(m.contextAutonomyLevels, 'wrkr.autonomy_level'),
    listCriterion(m.targetKinds, (s) => anyTarget(s, (t) => t.kind)),
    listCriterion(m.targetValues, (s) => anyTarget(s, (t) => t.value)),
    listCriterion(m.endpointClasses, (s) => anyTarget(s, (t) => t.endpointClass)),
    listCriterion(m.discoveryMethods, (s) => anyTarget(s, (t) => t.discoveryMethod)),
    annotationsCriterion(m.toolAnnotations),
    listCriterion(m.skillPublishers, (s) => (i) => i.skillProvenance !== undefined && s.has(lowerSimple(i.skillProvenance.publisher))),
    listCriterion(m.skillSources, (s) => (i) => i.skillProvenance !== undefined && s.has(i.skillProvenance.source)),
    listCriterion(m.dataClasses, (s) => anyTarget(s, (t) => t.sensitivity)),
    listCriterion(m.destinationKinds, (s) => anyTarget(s, (t) => t.kind)),
    listCriterion(m.destinationValues, (s) => anyTarget(s, (t) => t.value)),
    listCriterion(m.destinationOperations, (s) => anyTarget(s, (t) => t.operation)),
    listCriterion(m.provenanceSources, (s) => (i) => i.argProvenance.some((p) => s.has(p.source))),
    delegationCriterion(m),
  ];
  const predicates = candidates.filter((p): p is IntentPredicate => p !== undefined);
  if (predicates.length === 0) return ALWAYS;
  if (predicates.length === 1) return predicates[0]!;
  return (intent) => {
    for (const p of predicates) if (!p(intent)) return false;
    return true;
  };
}
