/**
 * Builds the per-request `EvaluateContext` of the decision service from its options and the
 * long-lived parts (policy generation, clocks, retention, fsync coalescer).
 */
import { shortId } from '../../crypto/digest.js';
import type { Profile } from '../../policy/profile.js';
import type { Clock } from '../../runtime/clock.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { GAIT_VERSION } from '../../runtime/version.js';
import type { HeldJsonlFile } from '../../exporters/jsonl-append.js';
import type { DurableWriter } from '../../storage/durable-writer.js';
import type { LivePolicy } from '../../storage/policy-reloader.js';
import type { RetentionClass } from '../../storage/retention.js';
import { jobStateReaderOnce } from '../../storage/job-state-file.js';
import { DEFAULT_JOB_ROOT, jobStopStateOf, recordBlockedDispatch } from '../mcp/job-status.js';
import type { EvaluateContext } from './evaluate.js';
import { artifactRetention } from './serve-artifacts.js';
import type { ServeArtifactSettings } from './serve-artifacts.js';
import { sessionRetention } from './serve-session.js';
import type { ServeSessionSettings } from './serve-session.js';
import type { DecisionServiceOptions } from './service-types.js';

export interface ContextParts {
  readonly cwd: string;
  readonly profile: Profile;
  readonly defaultAdapter: string;
  readonly traceDir: string;
  readonly clock: Clock;
  readonly artifactTime: () => Timestamp;
  readonly traceRetention: RetentionClass;
  readonly artifacts: ServeArtifactSettings;
  readonly sessions: ServeSessionSettings;
  readonly writer: DurableWriter;
  /** the held `--intents-out` file */
  readonly intents?: HeldJsonlFile | undefined;
}

/** `x-correlation-id` when it is one short line, else undefined. */
function givenCorrelationId(request: Request): string | undefined {
  const given = (request.headers.get('x-correlation-id') ?? '').trim();
  return given !== '' && given.length <= 128 && !/[\r\n]/.test(given) ? given : undefined;
}

/** A factory of request contexts; each call numbers the request (the default correlation id). */
export function contextFactory(options: DecisionServiceOptions, parts: ContextParts): (request: Request, live: LivePolicy) => EvaluateContext {
  const { cwd } = parts;
  const jobRoot = options.jobRoot ?? DEFAULT_JOB_ROOT;
  const instance = shortId(`${process.pid}:${parts.clock.now().seconds}:${parts.clock.now().nanos}`);
  let seq = 0;
  const fixed = {
    signingKey: options.signingKey,
    clock: parts.clock,
    artifactTime: parts.artifactTime,
    defaultAdapter: parts.defaultAdapter,
    profile: parts.profile,
    allowClientArtifactPaths: options.allowClientArtifactPaths === true,
    traceDir: parts.traceDir,
    cwd,
    contextEnvelope: options.contextEnvelope,
    producerVersion: GAIT_VERSION,
    recordBlockedDispatch: (d: Parameters<EvaluateContext['recordBlockedDispatch']>[0]) =>
      recordBlockedDispatch(d.intent.context.jobId, jobRoot, cwd, { traceId: d.result.traceId, toolName: d.intent.toolName, createdAt: d.intent.createdAt }),
    exporters: options.exporters ?? [],
    intentsOut: options.intentsOut ?? '',
    intents: parts.intents,
    exportPaths: { log: options.exportPaths?.log ?? '', otel: options.exportPaths?.otel ?? '' },
    includeArgsInExports: options.includeArgsInExports === true,
    retention: [...(parts.traceRetention.enabled ? [parts.traceRetention] : []), ...artifactRetention(parts.artifacts), ...sessionRetention(parts.sessions)],
    traceRetention: parts.traceRetention,
    artifacts: parts.artifacts,
    sessions: parts.sessions,
    writer: parts.writer,
  };
  return (request, live) => {
    seq += 1;
    // One read of a job's state per request: the emergency stop and the session event see one version.
    const jobRecord = jobStateReaderOnce(jobRoot, cwd);
    return Object.assign({}, fixed, {
      live,
      correlationId: givenCorrelationId(request) ?? shortId(`${instance}:${seq}`),
      jobRecord,
      jobState: (jobId: string) => jobStopStateOf(jobRecord(jobId)),
    });
  };
}
