/**
 * The session model (artifacts.md §2.12): a journal header, one event per decision, checkpoints over
 * ranges of events, and the chain that links the checkpoints. Wire members are snake_case; this
 * model is camelCase with timestamps as `Timestamp` (UTC when this implementation wrote them).
 */
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from '../../schema/v1/json-types.js';

export const SESSION_SCHEMA_VERSION = '1.0.0';
export const SESSION_JOURNAL_SCHEMA_ID = 'gait.runpack.session_journal';
export const SESSION_EVENT_SCHEMA_ID = 'gait.runpack.session_event';
export const SESSION_CHECKPOINT_SCHEMA_ID = 'gait.runpack.session_checkpoint';
export const SESSION_CHAIN_SCHEMA_ID = 'gait.runpack.session_chain';
export const SESSION_STATE_SCHEMA_ID = 'gait.runpack.session_state';

/** `record_type` of a journal line: `{"record_type": t, "<t>": {…}}`. */
export type JournalRecordType = 'header' | 'event' | 'checkpoint';

/** The first record of a journal: which session and run it belongs to. */
export interface SessionHeader {
  readonly sessionId: string;
  readonly runId: string;
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly startedAt: Timestamp;
}

/** One decision in a session; strings are '' and lists [] when absent (omit-empty on the wire). */
export interface SessionEvent {
  readonly sessionId: string;
  readonly runId: string;
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  /** from 1, no gaps */
  readonly sequence: number;
  readonly intentId: string;
  readonly toolName: string;
  readonly intentDigest: string;
  readonly policyDigest: string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly matchedRuleIds: readonly string[];
  readonly traceId: string;
  readonly tracePath: string;
  readonly verdict: string;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** the relationship envelope (agent chain, policy ref), as given */
  readonly relationship?: JsonObject;
  readonly safetyInvariantVersion: string;
  readonly safetyInvariantHash: string;
}

/** What a caller supplies for a new event; the journal assigns the ids, sequence and time. */
export type SessionEventInput = Omit<SessionEvent, 'sessionId' | 'runId' | 'createdAt' | 'producerVersion' | 'sequence'>;

/** A checkpoint: a runpack of the events `sequenceStart..sequenceEnd`, linked to the previous one. */
export interface SessionCheckpoint {
  readonly sessionId: string;
  readonly runId: string;
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  /** from 1, no gaps */
  readonly checkpointIndex: number;
  readonly sequenceStart: number;
  readonly sequenceEnd: number;
  /** as recorded (relative to the writer's working directory, or absolute) */
  readonly runpackPath: string;
  readonly manifestDigest: string;
  /** '' for the first checkpoint */
  readonly prevCheckpointDigest: string;
  readonly checkpointDigest: string;
}

/** A journal read back: its header, events and checkpoints in file order. */
export interface SessionJournal {
  readonly header: SessionHeader;
  readonly events: readonly SessionEvent[];
  readonly checkpoints: readonly SessionCheckpoint[];
  /** lines skipped by the JSONL reader rules (torn or invalid lines, mcp-and-export.md §6.3) */
  readonly skippedLines: number;
}

/** The chain file (`gait.runpack.session_chain`). */
export interface SessionChain {
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly sessionId: string;
  readonly runId: string;
  readonly checkpoints: readonly SessionCheckpoint[];
}
