/** Normalization of a rule's `match` block (gate.md §A4.4). */
import { loweredList } from '../schema/v1/text.js';
import { DISCOVERY_METHODS, ENDPOINT_CLASSES } from '../schema/v1/intent-types.js';
import type { DiscoveryMethod, EndpointClass } from '../schema/v1/intent-types.js';
import type { DecodedMap } from './decode-schema.js';
import type { Match, ToolAnnotations } from './model.js';
import { checkListEnum, intOf, listOf, loweredOf, mapOf, nonNegative, rawList, text } from './normalize-context.js';
import type { NormalizeContext } from './normalize-context.js';

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** `tool_annotations`: undefined when no hint is set; a hint set to false counts as set. */
function toolAnnotations(m: DecodedMap): ToolAnnotations | undefined {
  const block = mapOf(m, 'tool_annotations');
  if (block === undefined) return undefined;
  const out: { -readonly [K in keyof ToolAnnotations]: ToolAnnotations[K] } = {};
  for (const hint of HINTS) {
    const v = block[hint];
    if (typeof v === 'boolean') out[hint] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Merged, lowered, enum-checked `endpoint_class` + `endpoint_classes` (both lists). */
function endpointClasses(ctx: NormalizeContext, m: DecodedMap, path: string): EndpointClass[] {
  checkListEnum(ctx, m, path, 'endpoint_class', loweredOf(m, 'endpoint_class'), ENDPOINT_CLASSES);
  checkListEnum(ctx, m, path, 'endpoint_classes', loweredOf(m, 'endpoint_classes'), ENDPOINT_CLASSES);
  return loweredList([...rawList(m, 'endpoint_class'), ...rawList(m, 'endpoint_classes')]) as EndpointClass[];
}

/** Normalizes `match` (absent -> every criterion empty). */
export function normalizeMatch(ctx: NormalizeContext, m: DecodedMap | undefined, path: string): Match {
  const src = m ?? {};
  const discovery = loweredOf(src, 'discovery_method');
  checkListEnum(ctx, src, path, 'discovery_method', discovery, DISCOVERY_METHODS);
  const depth = intOf(src, 'max_delegation_depth');
  if (depth !== undefined) nonNegative(ctx, src, path, 'max_delegation_depth');
  const single = text(src, 'tool_name');
  return {
    toolNames: loweredList([...(single === '' ? [] : [single]), ...rawList(src, 'tool_names')]),
    riskClasses: loweredOf(src, 'risk_classes'),
    targetKinds: loweredOf(src, 'target_kinds'),
    targetValues: listOf(src, 'target_values'),
    provenanceSources: loweredOf(src, 'provenance_sources'),
    identities: listOf(src, 'identities'),
    workspacePrefixes: listOf(src, 'workspace_prefixes'),
    endpointClasses: endpointClasses(ctx, src, path),
    discoveryMethods: discovery as DiscoveryMethod[],
    toolAnnotations: toolAnnotations(src),
    skillPublishers: loweredOf(src, 'skill_publishers'),
    skillSources: loweredOf(src, 'skill_sources'),
    dataClasses: loweredOf(src, 'data_classes'),
    destinationKinds: loweredOf(src, 'destination_kinds'),
    destinationValues: listOf(src, 'destination_values'),
    destinationOperations: loweredOf(src, 'destination_operations'),
    contextToolNames: loweredOf(src, 'context_tool_names'),
    contextDataClasses: loweredOf(src, 'context_data_classes'),
    contextEndpointClasses: loweredOf(src, 'context_endpoint_classes'),
    contextAutonomyLevels: loweredOf(src, 'context_autonomy_levels'),
    requireDelegation: src.require_delegation === true,
    allowedDelegatorIdentities: listOf(src, 'allowed_delegator_identities'),
    allowedDelegateIdentities: listOf(src, 'allowed_delegate_identities'),
    delegationScopes: loweredOf(src, 'delegation_scopes'),
    maxDelegationDepth: depth,
  };
}
