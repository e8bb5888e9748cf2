/**
 * MCP server trust (mcp-and-export.md §3.3): the policy's `mcp_trust` block, the call's `server` and a
 * loaded trust snapshot give a trust decision; applying it to a gate result merges its reason codes
 * and, when enforced, tightens the verdict. Pure: the snapshot arrives already loaded (storage/), the
 * time as an argument. Only the MCP paths (proxy, serve, gateway) apply it; `gate eval` never does.
 */
import { parseDuration } from '../runtime/duration.js';
import { addSeconds, compareTimestamps, formatTimestamp, isZeroTime, toUtc, ZERO_TIME } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import type { TrustSnapshot, TrustSnapshotEntry } from '../schema/v1/mcp-trust-snapshot.js';
import { trustServerKey } from '../schema/v1/mcp-trust-snapshot.js';
import { compareCodePoints, lowerSimple, trimSpec } from '../schema/v1/text.js';
import type { McpTrustConfig, Verdict } from './model.js';

/** Reason codes of §3.3 (product vocabulary, gate.md §A14 style). */
export const MCP_TRUST_REASONS = {
  identifierMissing: 'mcp_trust_identifier_missing',
  snapshotUnavailable: 'mcp_trust_snapshot_unavailable',
  snapshotInvalid: 'mcp_trust_snapshot_invalid',
  serverUnknown: 'mcp_trust_server_unknown',
  statusUntrusted: 'mcp_trust_status_untrusted',
  publisherUntrusted: 'mcp_trust_publisher_untrusted',
  registryUnverified: 'mcp_trust_registry_unverified',
  stale: 'mcp_trust_stale',
  belowThreshold: 'mcp_trust_below_threshold',
  verified: 'mcp_trust_verified',
} as const;

/** The violation added when an enforced trust decision tightens the verdict (§3.3). */
export const MCP_TRUST_POLICY_VIOLATION = 'mcp_trust_policy';

export type McpTrustStatus = 'trusted' | 'missing' | 'unknown' | 'untrusted' | 'invalid' | 'stale' | 'below_threshold';

/** The `server` object of a ToolCall (mcp-and-export.md §1.1), as given. */
export interface McpServerRef {
  readonly serverId: string;
  readonly serverName: string;
  readonly publisher: string;
  readonly source: string;
}

/** A trust snapshot as storage found it: loaded, unreadable ("unavailable") or unparsable ("invalid"). */
export type TrustSnapshotState =
  | { readonly status: 'loaded'; readonly path: string; readonly snapshot: TrustSnapshot }
  | { readonly status: 'unavailable' | 'invalid'; readonly path: string; readonly error: string };

/** The §3.3 decision object, camelCase; `toMcpTrustRecord` renders the wire form. */
export interface McpTrustDecision {
  readonly serverId: string;
  readonly serverName: string;
  readonly publisher: string;
  readonly source: string;
  readonly status: McpTrustStatus;
  readonly decisionSource: string;
  readonly score: number;
  readonly threshold: number;
  /** zero time when no entry was found */
  readonly updatedAt: Timestamp;
  readonly maxAgeSeconds: number;
  readonly required: boolean;
  readonly enforced: boolean;
  readonly registryVerified: boolean;
  readonly publisherAllowed: boolean;
  /** sorted */
  readonly reasonCodes: readonly string[];
}

/** The part of a gate result trust may change. */
export interface TrustableOutcome {
  readonly verdict: Verdict;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
}

/** Whole seconds of the canonical `max_age` duration; 0 when unset. */
export function maxAgeSecondsOf(maxAge: string): number {
  if (maxAge === '') return 0;
  const ns = parseDuration(maxAge);
  return ns > 0 ? Math.trunc(ns / 1e9) : 0;
}

function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items.map(trimSpec).filter((s) => s !== ''))].sort(compareCodePoints);
}

type Base = Omit<McpTrustDecision, 'status' | 'reasonCodes' | 'enforced'>;

function baseDecision(config: McpTrustConfig, server: McpServerRef | undefined, riskClass: string): Base {
  return {
    serverId: trimSpec(server?.serverId ?? ''),
    serverName: trimSpec(server?.serverName ?? ''),
    publisher: lowerSimple(trimSpec(server?.publisher ?? '')),
    source: lowerSimple(trimSpec(server?.source ?? '')),
    decisionSource: trimSpec(config.snapshot),
    score: 0,
    threshold: config.minScore,
    updatedAt: ZERO_TIME,
    maxAgeSeconds: maxAgeSecondsOf(config.maxAge),
    required: config.requiredRiskClasses.includes(lowerSimple(trimSpec(riskClass))),
    registryVerified: false,
    publisherAllowed: false,
  };
}

/** Cases 1-4 of §3.3: the first match decides, enforced when the risk class requires trust. */
function early(base: Base, status: McpTrustStatus, reason: string): McpTrustDecision {
  return { ...base, status, reasonCodes: [reason], enforced: base.required };
}

function registryOk(entry: TrustSnapshotEntry): boolean {
  const r = entry.registryVerification;
  return r !== undefined && r.signatureVerified && r.publisherAllowed && (!r.pinPresent || r.pinVerified);
}

function isStale(entry: TrustSnapshotEntry, maxAgeSeconds: number, now: Timestamp): boolean {
  if (entry.updatedAt === undefined || isZeroTime(entry.updatedAt)) return true;
  return compareTimestamps(addSeconds(toUtc(entry.updatedAt), maxAgeSeconds), now) < 0;
}

const TRUSTED_STATUSES: ReadonlySet<string> = new Set(['', 'trusted', 'allow', 'pass']);

/** The status named by the first accumulated reason (§3.3). */
function statusOfFirst(reason: string): McpTrustStatus {
  switch (reason) {
    case MCP_TRUST_REASONS.registryUnverified:
      return 'invalid';
    case MCP_TRUST_REASONS.stale:
      return 'stale';
    case MCP_TRUST_REASONS.belowThreshold:
      return 'below_threshold';
    default:
      return 'untrusted';
  }
}

function entryDecision(config: McpTrustConfig, base: Base, entry: TrustSnapshotEntry, now: Timestamp): McpTrustDecision {
  const fromEntry: Base = {
    ...base,
    serverId: entry.serverId,
    serverName: entry.serverName,
    publisher: entry.publisher,
    source: entry.source,
    score: entry.score,
    updatedAt: entry.updatedAt === undefined ? ZERO_TIME : toUtc(entry.updatedAt),
    decisionSource: entry.evidencePath !== '' ? entry.evidencePath : base.decisionSource,
  };
  const reasons: string[] = [];
  if (!TRUSTED_STATUSES.has(entry.status)) reasons.push(MCP_TRUST_REASONS.statusUntrusted);
  let publisherAllowed = false;
  if (config.publisherAllowlist.length > 0) {
    publisherAllowed = config.publisherAllowlist.includes(entry.publisher);
    if (!publisherAllowed) reasons.push(MCP_TRUST_REASONS.publisherUntrusted);
  }
  let registryVerified = false;
  if (config.requireRegistry) {
    registryVerified = registryOk(entry);
    if (!registryVerified) reasons.push(MCP_TRUST_REASONS.registryUnverified);
  }
  if (base.maxAgeSeconds > 0 && isStale(entry, base.maxAgeSeconds, now)) reasons.push(MCP_TRUST_REASONS.stale);
  if (config.minScore > 0 && entry.score < config.minScore) reasons.push(MCP_TRUST_REASONS.belowThreshold);
  const decided = { ...fromEntry, publisherAllowed, registryVerified };
  if (reasons.length === 0) return { ...decided, status: 'trusted', reasonCodes: [MCP_TRUST_REASONS.verified], enforced: false };
  return { ...decided, status: statusOfFirst(reasons[0] ?? ''), reasonCodes: sortedUnique(reasons), enforced: base.required };
}

/**
 * Evaluates the trust of the server a tool call names (mcp-and-export.md §3.3).
 * @param config the policy's enabled `mcp_trust` block
 * @param server the call's `server` object; undefined when the call has none
 * @param riskClass the normalized risk class of the intent (`high` when the call gave none, §12)
 * @param snapshot the snapshot as loaded for this evaluation
 * @param now the evaluation time (staleness)
 * @returns the decision; never throws for any server or snapshot
 * @example evaluateMcpTrust(policy.mcpTrust, { serverId: 'fs', serverName: '', publisher: '', source: '' }, 'high', state, now)
 */
export function evaluateMcpTrust(
  config: McpTrustConfig,
  server: McpServerRef | undefined,
  riskClass: string,
  snapshot: TrustSnapshotState,
  now: Timestamp,
): McpTrustDecision {
  const base = baseDecision(config, server, riskClass);
  const key = trustServerKey(base.serverId, base.serverName);
  if (key === '') return early(base, 'missing', MCP_TRUST_REASONS.identifierMissing);
  if (snapshot.status !== 'loaded') {
    return snapshot.status === 'unavailable'
      ? early(base, 'missing', MCP_TRUST_REASONS.snapshotUnavailable)
      : early(base, 'invalid', MCP_TRUST_REASONS.snapshotInvalid);
  }
  const entry = snapshot.snapshot.entries.get(key);
  if (entry === undefined) return early(base, 'unknown', MCP_TRUST_REASONS.serverUnknown);
  return entryDecision(config, base, entry, now);
}

/**
 * The stricter of the gate verdict and the trust action (§3.3): `block` and `dry_run` stay; otherwise
 * `block` wins, then `require_approval`.
 */
export function tightenVerdict(current: Verdict, action: McpTrustConfig['action']): Verdict {
  if (current === 'block' || current === 'dry_run') return current;
  if (action === 'block') return 'block';
  return 'require_approval';
}

/**
 * Applies a trust decision to a gate result (§3.3 "Applying to a gate result"): reason codes merged
 * (unique, sorted); when enforced, the verdict tightened to `action` and `mcp_trust_policy` added.
 * @example applyMcpTrust({ verdict: 'allow', reasonCodes: ['r'], violations: [] }, decision, 'block')
 */
export function applyMcpTrust(outcome: TrustableOutcome, decision: McpTrustDecision, action: McpTrustConfig['action']): TrustableOutcome {
  const reasonCodes = sortedUnique([...outcome.reasonCodes, ...decision.reasonCodes]);
  if (!decision.enforced) return { verdict: outcome.verdict, reasonCodes, violations: outcome.violations };
  return {
    verdict: tightenVerdict(outcome.verdict, action),
    reasonCodes,
    violations: sortedUnique([...outcome.violations, MCP_TRUST_POLICY_VIOLATION]),
  };
}

/**
 * The decision object as it appears in the signed trace and in proxy/serve output (§3.3); empty
 * members are dropped by the trace member rules, `updated_at` is always present.
 */
export function toMcpTrustRecord(d: McpTrustDecision): JsonObject {
  const out: JsonObject = {};
  const put = (key: string, value: string | number | boolean | readonly string[]): void => {
    const empty = value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
    if (!empty) out[key] = Array.isArray(value) ? [...(value as readonly string[])] : (value as string | number | boolean);
  };
  put('server_id', d.serverId);
  put('server_name', d.serverName);
  put('publisher', d.publisher);
  put('source', d.source);
  put('status', d.status);
  put('decision_source', d.decisionSource);
  put('score', d.score);
  put('threshold', d.threshold);
  out['updated_at'] = formatTimestamp(d.updatedAt);
  put('max_age_seconds', d.maxAgeSeconds);
  put('required', d.required);
  put('enforced', d.enforced);
  put('registry_verified', d.registryVerified);
  put('publisher_allowed', d.publisherAllowed);
  put('reason_codes', d.reasonCodes);
  return out;
}

const RISK_PRIORITY: Readonly<Record<string, number>> = { critical: 4, high: 3, medium: 2, low: 1 };

/**
 * The risk class `gait mcp verify` evaluates with (§3.4): the flag (lowercased), else the
 * highest-priority entry of `required_risk_classes` (critical > high > medium > low > others, the
 * first wins on ties), else `high`.
 */
export function verifyRiskClass(config: McpTrustConfig | undefined, flag: string): string {
  const given = lowerSimple(trimSpec(flag));
  if (given !== '') return given;
  let best = '';
  let bestRank = -1;
  for (const c of config?.requiredRiskClasses ?? []) {
    const rank = RISK_PRIORITY[c] ?? 0;
    if (rank > bestRank) {
      best = c;
      bestRank = rank;
    }
  }
  return best === '' ? 'high' : best;
}
