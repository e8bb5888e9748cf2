/**
 * The decision service's reload events (mcp-and-export.md §5.3): each one is logged, and a rejected
 * policy or trust snapshot (`policy_reload_failed`, `trust_snapshot_reload_failed`) is also handed to
 * every exporter that takes service events (docs/adr/0011-service-events-in-exports.md).
 *
 * INVARIANT: the sink never throws, so a failing log or exporter never breaks the reload path (the
 * reloader calls it from its watch and timer). Export failures are counted and warned by the
 * exporters themselves (`/healthz` `export_failures`); an exporter that throws is logged here.
 */
import { redactErrorText } from '../../exporters/redact.js';
import { buildServiceEvent } from '../../exporters/service-event.js';
import type { DecisionExporter, ServiceEvent } from '../../exporters/types.js';
import type { Clock } from '../../runtime/clock.js';
import type { ReloadEvent } from '../../storage/policy-reloader.js';
import type { ServiceLogEvent } from './service-types.js';

export interface ReloadSinkOptions {
  readonly exporters: readonly DecisionExporter[];
  readonly clock: Clock;
  /** the policy file as configured */
  readonly policyPath: string;
  readonly producerVersion: string;
  readonly log: ((event: ServiceLogEvent) => void) | undefined;
}

/** The exported view of a rejected reload; undefined for a successful one (those are only logged). */
export function serviceEventOf(event: ReloadEvent, options: Omit<ReloadSinkOptions, 'exporters' | 'log'>): ServiceEvent | undefined {
  if (event.kind !== 'policy_reload_failed' && event.kind !== 'trust_snapshot_reload_failed') return undefined;
  return buildServiceEvent({
    kind: event.kind,
    createdAt: options.clock.now(),
    producerVersion: options.producerVersion,
    policyPath: options.policyPath,
    ...(event.kind === 'trust_snapshot_reload_failed' ? { snapshotPath: event.path } : {}),
    rejectedFileDigest: event.fileDigest,
    policyDigest: event.policyDigest,
    error: event.error,
  });
}

function messageOf(err: unknown): string {
  return redactErrorText(err instanceof Error ? err.message : String(err));
}

function safeLog(log: ReloadSinkOptions['log'], event: ServiceLogEvent): void {
  try {
    log?.(event);
  } catch {
    // a broken log sink must not break the reload path
  }
}

/** The reloader's `onEvent`: log, then export rejected reloads to each exporter that takes them. */
export function reloadEventSink(options: ReloadSinkOptions): (event: ReloadEvent) => void {
  return (event) => {
    safeLog(options.log, event);
    let exported: ServiceEvent | undefined;
    try {
      exported = serviceEventOf(event, options);
    } catch (err) {
      safeLog(options.log, { kind: 'export_warning', exporter: 'service', message: `export_failed=service: ${messageOf(err)}` });
      return;
    }
    if (exported === undefined) return;
    for (const exporter of options.exporters) {
      try {
        exporter.exportServiceEvent?.(exported);
      } catch (err) {
        safeLog(options.log, { kind: 'export_warning', exporter: exporter.name, message: `export_failed=${exporter.name}: ${messageOf(err)}` });
      }
    }
  };
}
