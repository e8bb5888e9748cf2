/**
 * Normalization of a rule's sub-blocks: `freeze_window` (§B8), `sandbox` (§B9), `rate_limit` and
 * `destructive_budget` (§B6), `dataflow` and `endpoint` (§A4.3). Defaults applied here are part of
 * `policy_digest` (§A4.7).
 */
import { ENDPOINT_CLASSES } from '../schema/v1/intent-types.js';
import type { DecodedMap } from './decode-schema.js';
import type { DataflowRule, EndpointRule, FreezeWindowRule, FreezeWindowSpan, RateLimitRule, SandboxRule } from './model.js';
import {
  checkEnum,
  checkListEnum,
  cleanedPathsOf,
  intOf,
  join,
  listOf,
  lowerText,
  loweredOf,
  mapOf,
  mapsOf,
  nonNegative,
  text,
} from './normalize-context.js';
import type { NormalizeContext } from './normalize-context.js';

const CONSTRAINT_ACTIONS = ['block', 'require_approval'] as const;
type ConstraintAction = (typeof CONSTRAINT_ACTIONS)[number];

/** Lowered `action`-like member with a default, enum-checked against block|require_approval. */
function actionOf(ctx: NormalizeContext, m: DecodedMap, path: string, key: string, fallback: ConstraintAction): ConstraintAction {
  const v = lowerText(m, key);
  checkEnum(ctx, join(path, key), v, CONSTRAINT_ACTIONS);
  return v === '' || !(CONSTRAINT_ACTIONS as readonly string[]).includes(v) ? fallback : (v as ConstraintAction);
}

/** `freeze_window`: enabled when any member is set; then `timezone` and `windows` are required (§B8). */
export function normalizeFreezeWindow(ctx: NormalizeContext, rule: DecodedMap, path: string, name: string): FreezeWindowRule | undefined {
  const m = mapOf(rule, 'freeze_window');
  if (m === undefined) return undefined;
  const p = join(path, 'freeze_window');
  const timezone = text(m, 'timezone');
  const effect = actionOf(ctx, m, p, 'effect', 'block');
  const reason = text(m, 'reason');
  const environments = listOf(m, 'environments');
  const riskClasses = loweredOf(m, 'risk_classes');
  const windows: FreezeWindowSpan[] = mapsOf(m, 'windows').map((w, i) => ({
    name: text(w, 'name') === '' ? `window-${i + 1}` : text(w, 'name'),
    start: text(w, 'start'),
    end: text(w, 'end'),
  }));
  const anySet =
    m.enabled === true ||
    timezone !== '' ||
    lowerText(m, 'effect') !== '' ||
    reason !== '' ||
    environments.length > 0 ||
    riskClasses.length > 0 ||
    windows.length > 0;
  if (!anySet) return undefined;
  if (timezone === '') ctx.fail(p, `freeze_window.timezone is required for ${name}`);
  if (windows.length === 0) ctx.fail(p, `freeze_window.windows is required for ${name}`);
  return { enabled: true, timezone, effect, reason, environments, riskClasses, windows };
}

const SANDBOX_MODES = {
  allowed_network_modes: ['disabled', 'egress_allowlist', 'full'],
  allowed_env_exposure_modes: ['allowlist', 'full', 'none'],
  allowed_filesystem_isolations: ['container', 'none', 'workspace'],
  allowed_user_modes: ['default', 'root', 'unprivileged'],
} as const;

/** `sandbox`: enabled when any member is set; mode lists lowered and enum-checked, path lists cleaned (§B9). */
export function normalizeSandbox(ctx: NormalizeContext, rule: DecodedMap, path: string): SandboxRule | undefined {
  const m = mapOf(rule, 'sandbox');
  if (m === undefined) return undefined;
  const p = join(path, 'sandbox');
  const mode = (key: keyof typeof SANDBOX_MODES): string[] => {
    const items = loweredOf(m, key);
    checkListEnum(ctx, m, p, key, items, SANDBOX_MODES[key]);
    return items;
  };
  const sandbox: SandboxRule = {
    enabled: true,
    allowedNetworkModes: mode('allowed_network_modes'),
    allowedWritablePathPrefixes: cleanedPathsOf(m, 'allowed_writable_path_prefixes'),
    requiredReadOnlyRoots: cleanedPathsOf(m, 'required_read_only_roots'),
    allowedEnvExposureModes: mode('allowed_env_exposure_modes'),
    maxTimeoutSeconds: nonNegative(ctx, m, p, 'max_timeout_seconds'),
    allowedFilesystemIsolations: mode('allowed_filesystem_isolations'),
    allowedUserModes: mode('allowed_user_modes'),
  };
  const anySet =
    m.enabled === true ||
    sandbox.maxTimeoutSeconds > 0 ||
    [
      sandbox.allowedNetworkModes,
      sandbox.allowedWritablePathPrefixes,
      sandbox.requiredReadOnlyRoots,
      sandbox.allowedEnvExposureModes,
      sandbox.allowedFilesystemIsolations,
      sandbox.allowedUserModes,
    ].some((list) => list.length > 0);
  return anySet ? sandbox : undefined;
}

const WINDOWS = ['minute', 'hour'] as const;
const SCOPES = ['tool_identity', 'tool', 'identity'] as const;

/**
 * `rate_limit` / `destructive_budget` `{requests, window, scope}` (§B6). Returns undefined unless
 * `requests > 0`; a configured `destructive_budget` needs `requests >= 1`.
 */
export function normalizeRate(
  ctx: NormalizeContext,
  rule: DecodedMap,
  path: string,
  key: 'rate_limit' | 'destructive_budget',
  name: string,
): RateLimitRule | undefined {
  const m = mapOf(rule, key);
  if (m === undefined) return undefined;
  const p = join(path, key);
  const requests = nonNegative(ctx, m, p, 'requests');
  const window = lowerText(m, 'window');
  const scope = lowerText(m, 'scope');
  checkEnum(ctx, join(p, 'window'), window, WINDOWS);
  checkEnum(ctx, join(p, 'scope'), scope, SCOPES);
  const configured = intOf(m, 'requests') !== undefined || window !== '' || scope !== '';
  if (key === 'destructive_budget' && configured && requests < 1) {
    ctx.fail(join(p, 'requests'), `destructive_budget.requests must be >= 1 for ${name}`);
  }
  if (requests <= 0) return undefined;
  return {
    requests,
    window: window === 'hour' ? 'hour' : 'minute',
    scope: scope === 'tool' || scope === 'identity' ? scope : 'tool_identity',
  };
}

/** `dataflow`: enabled when `enabled` or any list is set; defaults per §A4.3. */
export function normalizeDataflow(ctx: NormalizeContext, rule: DecodedMap, path: string): DataflowRule | undefined {
  const m = mapOf(rule, 'dataflow');
  if (m === undefined) return undefined;
  const p = join(path, 'dataflow');
  const tainted = loweredOf(m, 'tainted_sources');
  const destinationKinds = loweredOf(m, 'destination_kinds');
  const destinationValues = listOf(m, 'destination_values');
  const destinationOperations = loweredOf(m, 'destination_operations');
  const action = actionOf(ctx, m, p, 'action', 'require_approval');
  const lists = [tainted, destinationKinds, destinationValues, destinationOperations];
  if (m.enabled !== true && lists.every((l) => l.length === 0)) return undefined;
  return {
    enabled: true,
    taintedSources: tainted.length > 0 ? tainted : ['external', 'tool_output'],
    destinationKinds,
    destinationValues,
    destinationOperations,
    action,
    reasonCode: text(m, 'reason_code') || 'dataflow_tainted_destination',
    violation: text(m, 'violation') || 'tainted_dataflow',
  };
}

/** `endpoint`: enabled when `enabled`, any list, or `destructive_action` is set; defaults per §A4.3. */
export function normalizeEndpoint(ctx: NormalizeContext, rule: DecodedMap, path: string, name: string): EndpointRule | undefined {
  const m = mapOf(rule, 'endpoint');
  if (m === undefined) return undefined;
  const p = join(path, 'endpoint');
  const egress = loweredOf(m, 'egress_classes');
  if (egress.some((c) => !c.startsWith('net.') || !(ENDPOINT_CLASSES as readonly string[]).includes(c))) {
    ctx.fail(join(p, 'egress_classes'), `endpoint.egress_class must be network class for ${name}`);
  }
  const action = actionOf(ctx, m, p, 'action', 'block');
  const destructiveRaw = lowerText(m, 'destructive_action');
  checkEnum(ctx, join(p, 'destructive_action'), destructiveRaw, CONSTRAINT_ACTIONS);
  const destructiveAction = destructiveRaw === 'block' || destructiveRaw === 'require_approval' ? destructiveRaw : '';
  const endpoint: EndpointRule = {
    enabled: true,
    pathAllowlist: listOf(m, 'path_allowlist'),
    pathDenylist: listOf(m, 'path_denylist'),
    domainAllowlist: loweredOf(m, 'domain_allowlist'),
    domainDenylist: loweredOf(m, 'domain_denylist'),
    egressClasses: egress,
    action,
    destructiveAction,
    reasonCode: text(m, 'reason_code') || 'endpoint_constraint_violation',
    violation: text(m, 'violation') || 'endpoint_constraint_violation',
  };
  const lists = [endpoint.pathAllowlist, endpoint.pathDenylist, endpoint.domainAllowlist, endpoint.domainDenylist, egress];
  const anySet = m.enabled === true || destructiveAction !== '' || lists.some((l) => l.length > 0);
  return anySet ? endpoint : undefined;
}
