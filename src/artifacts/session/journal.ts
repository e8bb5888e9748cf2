/**
 * Session journal records (artifacts.md §2.12): building the next event, and reading a journal back
 * from its JSONL records with every ordering rule checked, so a journal that was edited, reordered or
 * mixed with another session's is refused instead of extended.
 */
import { GaitError } from '../../errors/error.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { lowerSimple, normalizedList, trimSpec } from '../../schema/v1/text.js';
import { checkpointDigest } from './checkpoint-digest.js';
import type { SessionCheckpoint, SessionEvent, SessionEventInput, SessionHeader, SessionJournal } from './types.js';
import { checkpointFromWire, eventFromWire, headerFromWire } from './wire.js';

/**
 * The event with `sequence` for `input`: strings trimmed, digests lowercased, lists trimmed,
 * de-duplicated and sorted (gate.md §0 normalized list).
 */
export function buildSessionEvent(header: SessionHeader, sequence: number, createdAt: Timestamp, producerVersion: string, input: SessionEventInput): SessionEvent {
  return {
    sessionId: header.sessionId,
    runId: header.runId,
    createdAt,
    producerVersion,
    sequence,
    intentId: trimSpec(input.intentId),
    toolName: trimSpec(input.toolName),
    intentDigest: lowerSimple(trimSpec(input.intentDigest)),
    policyDigest: lowerSimple(trimSpec(input.policyDigest)),
    policyId: trimSpec(input.policyId),
    policyVersion: trimSpec(input.policyVersion),
    matchedRuleIds: normalizedList(input.matchedRuleIds),
    traceId: trimSpec(input.traceId),
    tracePath: trimSpec(input.tracePath),
    verdict: trimSpec(input.verdict),
    reasonCodes: normalizedList(input.reasonCodes),
    violations: normalizedList(input.violations),
    ...(input.relationship === undefined ? {} : { relationship: input.relationship }),
    safetyInvariantVersion: trimSpec(input.safetyInvariantVersion),
    safetyInvariantHash: trimSpec(input.safetyInvariantHash),
  };
}

function invalid(n: number, message: string): GaitError {
  return new GaitError('artifact_invalid', `session journal record ${n}: ${message}`, { details: { record: n } });
}

interface Reading {
  header: SessionHeader | undefined;
  events: SessionEvent[];
  checkpoints: SessionCheckpoint[];
}

function sameSession(header: SessionHeader, r: { readonly sessionId: string; readonly runId: string }): boolean {
  return r.sessionId === header.sessionId && r.runId === header.runId;
}

function addEvent(state: Reading, header: SessionHeader, value: unknown, n: number): void {
  const event = eventFromWire(value, 'event');
  const expected = (state.events[state.events.length - 1]?.sequence ?? 0) + 1;
  if (event.sequence !== expected) throw invalid(n, `event sequence ${event.sequence}, expected ${expected}`);
  if (!sameSession(header, event)) throw invalid(n, `event of session \`${event.sessionId}\` run \`${event.runId}\` in the journal of \`${header.sessionId}\` run \`${header.runId}\``);
  state.events.push(event);
}

function addCheckpoint(state: Reading, header: SessionHeader, value: unknown, n: number): void {
  const cp = checkpointFromWire(value, 'checkpoint');
  const last = state.checkpoints[state.checkpoints.length - 1];
  const lastSequence = state.events[state.events.length - 1]?.sequence ?? 0;
  if (!sameSession(header, cp)) throw invalid(n, `checkpoint of session \`${cp.sessionId}\` run \`${cp.runId}\` in the journal of \`${header.sessionId}\` run \`${header.runId}\``);
  if (cp.checkpointIndex !== (last?.checkpointIndex ?? 0) + 1) throw invalid(n, `checkpoint_index ${cp.checkpointIndex}, expected ${(last?.checkpointIndex ?? 0) + 1}`);
  if (cp.sequenceStart <= (last?.sequenceEnd ?? 0) || cp.sequenceEnd < cp.sequenceStart || cp.sequenceEnd > lastSequence) {
    throw invalid(n, `checkpoint ${cp.checkpointIndex} covers events ${cp.sequenceStart}..${cp.sequenceEnd}, outside ${(last?.sequenceEnd ?? 0) + 1}..${lastSequence}`);
  }
  if (cp.prevCheckpointDigest !== (last?.checkpointDigest ?? '')) throw invalid(n, `checkpoint ${cp.checkpointIndex} prev_checkpoint_digest does not link to the previous checkpoint`);
  const digest = checkpointDigest(cp.manifestDigest, cp.prevCheckpointDigest, cp.checkpointIndex, cp.sequenceStart, cp.sequenceEnd);
  if (cp.checkpointDigest !== digest) throw invalid(n, `checkpoint ${cp.checkpointIndex} checkpoint_digest does not match its recomputed value`);
  state.checkpoints.push(cp);
}

function addRecord(state: Reading, record: JsonObject, n: number): void {
  const type = record['record_type'];
  if (type === 'header') {
    if (state.header !== undefined) throw invalid(n, 'a second header');
    const header = headerFromWire(record['header'], 'header');
    if (trimSpec(header.sessionId) === '' || trimSpec(header.runId) === '') throw invalid(n, 'the header has no session_id or run_id');
    state.header = header;
    return;
  }
  if (type !== 'event' && type !== 'checkpoint') throw invalid(n, `unsupported record_type \`${String(type)}\``);
  const header = state.header;
  if (header === undefined) throw invalid(n, `${type} before the header`);
  if (!isJsonObject(record[type])) throw invalid(n, `${type} record without its \`${type}\` object`);
  if (type === 'event') addEvent(state, header, record[type], n);
  else addCheckpoint(state, header, record[type], n);
}

/**
 * Reads a journal from its JSONL records (torn and invalid lines already skipped by the reader).
 * @param records the complete JSON objects, in file order
 * @param skippedLines how many lines the reader skipped (reported, never fatal)
 * @returns the journal, or undefined when it has no records at all (a new or emptied file)
 * @throws GaitError `artifact_invalid` (`session journal record <n>: …`) for a missing or second header,
 *   an event out of sequence, a record of another session or run, or a checkpoint that does not link
 * @example readSessionJournal(parseJsonl(text).records, 0)?.events.length
 */
export function readSessionJournal(records: readonly JsonObject[], skippedLines: number): SessionJournal | undefined {
  if (records.length === 0) return undefined;
  const state: Reading = { header: undefined, events: [], checkpoints: [] };
  records.forEach((record, i) => addRecord(state, record, i + 1));
  if (state.header === undefined) throw invalid(1, 'no header');
  return { header: state.header, events: state.events, checkpoints: state.checkpoints, skippedLines };
}
