/**
 * Service events (mcp-and-export.md §5.3; docs/contracts/exports.md "Service events"): a rejected
 * policy or trust snapshot reload, built and rendered as the decision-log JSONL line. Pure.
 *
 * A decision line never has an `event` member; a service line always starts with one, so a consumer
 * that only expects decisions skips lines that carry `event` (docs/adr/0011-service-events-in-exports.md).
 */
import { formatTimestamp, toUtc } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import { redactServiceErrorText } from './redact.js';
import type { ServiceEvent } from './types.js';

export interface ServiceEventInput {
  readonly kind: ServiceEvent['kind'];
  /** when the service noticed (its clock) */
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly policyPath: string;
  /** trust snapshot failures only */
  readonly snapshotPath?: string;
  /** `sha256hex` of the rejected bytes; '' or absent when unreadable */
  readonly rejectedFileDigest?: string;
  /** the policy digest still in use; '' or absent when none */
  readonly policyDigest?: string;
  /** the reload error, unredacted (redacted here) */
  readonly error: string;
}

/**
 * The exported view of a rejected reload; the error is redacted (only the policy and snapshot paths
 * are kept verbatim).
 * @example buildServiceEvent({kind: 'policy_reload_failed', createdAt: now, producerVersion: '0.1.0', policyPath: 'policy.yaml', rejectedFileDigest: hex, policyDigest: live, error: 'policy.yaml:2:3: …'})
 */
export function buildServiceEvent(input: ServiceEventInput): ServiceEvent {
  const snapshotPath = input.kind === 'trust_snapshot_reload_failed' ? (input.snapshotPath ?? '') : '';
  return {
    kind: input.kind,
    createdAt: toUtc(input.createdAt),
    producerVersion: input.producerVersion,
    policyPath: input.policyPath,
    snapshotPath,
    rejectedFileDigest: input.rejectedFileDigest ?? '',
    policyDigest: input.policyDigest ?? '',
    error: redactServiceErrorText(input.error, [input.policyPath, snapshotPath]),
  };
}

/**
 * The decision-log (`--export-log-out`) line of a service event: `event` first, then `created_at`,
 * `producer_version`, `policy_path`, `snapshot_path`? (trust only), `rejected_file_digest`? (omitted
 * when the file was unreadable), `policy_digest` (`""` when none is in use), `error`.
 */
export function toServiceLogJson(event: ServiceEvent): JsonObject {
  const out: JsonObject = {
    event: event.kind,
    created_at: formatTimestamp(event.createdAt),
    producer_version: event.producerVersion,
    policy_path: event.policyPath,
  };
  if (event.snapshotPath !== '') out['snapshot_path'] = event.snapshotPath;
  if (event.rejectedFileDigest !== '') out['rejected_file_digest'] = event.rejectedFileDigest;
  out['policy_digest'] = event.policyDigest;
  out['error'] = event.error;
  return out;
}
