/**
 * Session checkpoints (artifacts.md §2.12): which events the next checkpoint covers, the run-record
 * input of its reference-mode runpack, and the checkpoint record that links it into the chain. The
 * runpack itself is recorded by the runpack pipeline (`recordRunpack`, §2.4) from this input.
 */
import { formatTimestamp, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { checkpointDigest } from './checkpoint-digest.js';
import { checkpointRunId } from './names.js';
import type { SessionCheckpoint, SessionEvent, SessionHeader, SessionJournal } from './types.js';

/** The next checkpoint of a journal. */
export interface CheckpointPlan {
  readonly index: number;
  /** `<run_id>_cp_<NNNN>` */
  readonly runId: string;
  readonly sequenceStart: number;
  readonly sequenceEnd: number;
  readonly prevCheckpointDigest: string;
  /** the events after the previous checkpoint, in sequence order */
  readonly events: readonly SessionEvent[];
}

/**
 * Plans the checkpoint of every event after the previous checkpoint.
 * @returns undefined when there is no new event
 */
export function planCheckpoint(journal: SessionJournal): CheckpointPlan | undefined {
  const last = journal.checkpoints[journal.checkpoints.length - 1];
  const after = last?.sequenceEnd ?? 0;
  const events = journal.events.filter((e) => e.sequence > after);
  const first = events[0];
  const final = events[events.length - 1];
  if (first === undefined || final === undefined) return undefined;
  const index = (last?.checkpointIndex ?? 0) + 1;
  return {
    index,
    runId: checkpointRunId(journal.header.runId, index),
    sequenceStart: first.sequence,
    sequenceEnd: final.sequence,
    prevCheckpointDigest: last?.checkpointDigest ?? '',
    events,
  };
}

/** The event's intent id, else `intent_<sequence>` (unique in the session). */
export function checkpointIntentId(event: SessionEvent): string {
  return event.intentId !== '' ? event.intentId : `intent_${event.sequence}`;
}

/** `error` for block and require_approval, else `ok` (§2.12). */
function resultStatus(verdict: string): string {
  return verdict === 'block' || verdict === 'require_approval' ? 'error' : 'ok';
}

function utc(ts: Timestamp): string {
  return formatTimestamp(toUtc(ts));
}

/**
 * The run-record input (§2.5 format) of the checkpoint runpack: run `<run_id>_cp_<NNNN>`, per event an
 * intent (`args_digest` = `intent_digest`, args `{session_id, sequence, trace_id, trace_path}`) and a
 * result (payload `{verdict, reason_codes, violations, trace_id, trace_path}`), a `session_event`
 * timeline entry per event and a final `session_checkpoint_emitted`; capture mode `reference`, so the
 * args and payloads are only digested.
 */
export function checkpointRunInput(header: SessionHeader, plan: CheckpointPlan, createdAt: Timestamp, producerVersion: string): JsonObject {
  const intents: JsonObject[] = [];
  const results: JsonObject[] = [];
  const timeline: JsonObject[] = [];
  for (const e of plan.events) {
    const intentId = checkpointIntentId(e);
    const common = { created_at: utc(e.createdAt), producer_version: producerVersion, run_id: plan.runId, intent_id: intentId };
    intents.push({
      ...common,
      tool_name: e.toolName,
      args_digest: e.intentDigest,
      args: { session_id: header.sessionId, sequence: e.sequence, trace_id: e.traceId, trace_path: e.tracePath },
    });
    results.push({
      ...common,
      status: resultStatus(e.verdict),
      result: { verdict: e.verdict, reason_codes: [...e.reasonCodes], violations: [...e.violations], trace_id: e.traceId, trace_path: e.tracePath },
    });
    timeline.push({ event: 'session_event', ts: utc(e.createdAt), ...(e.traceId === '' ? {} : { ref: e.traceId }) });
  }
  timeline.push({ event: 'session_checkpoint_emitted', ts: utc(createdAt), ref: `checkpoint:${plan.index}` });
  return {
    run: { run_id: plan.runId, created_at: utc(createdAt), producer_version: producerVersion, timeline },
    intents,
    results,
    refs: { run_id: plan.runId },
    capture_mode: 'reference',
  };
}

/** The checkpoint record of a recorded checkpoint runpack, with its `checkpoint_digest`. */
export function buildCheckpointRecord(
  header: SessionHeader,
  plan: CheckpointPlan,
  recorded: { readonly createdAt: Timestamp; readonly producerVersion: string; readonly runpackPath: string; readonly manifestDigest: string },
): SessionCheckpoint {
  return {
    sessionId: header.sessionId,
    runId: header.runId,
    createdAt: recorded.createdAt,
    producerVersion: recorded.producerVersion,
    checkpointIndex: plan.index,
    sequenceStart: plan.sequenceStart,
    sequenceEnd: plan.sequenceEnd,
    runpackPath: recorded.runpackPath,
    manifestDigest: recorded.manifestDigest,
    prevCheckpointDigest: plan.prevCheckpointDigest,
    checkpointDigest: checkpointDigest(recorded.manifestDigest, plan.prevCheckpointDigest, plan.index, plan.sequenceStart, plan.sequenceEnd),
  };
}
