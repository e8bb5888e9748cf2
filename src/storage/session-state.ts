/**
 * The side file `<journal>.state.json` of a session journal (artifacts.md §2.12): the next sequence
 * and the last checkpoint, so an append does not re-read the journal. It is a cache, rebuilt from the
 * journal when it does not describe it (a crash between the journal append and the state write, an
 * edited or removed journal). Because
 * the journal is the record, the state is replaced atomically (temp file, rename) without an fsync.
 * It is trusted only while the journal's size and modification time are the ones it recorded.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SessionJournal } from '../artifacts/session/types.js';
import { SESSION_SCHEMA_VERSION, SESSION_STATE_SCHEMA_ID } from '../artifacts/session/types.js';
import { GaitError } from '../errors/index.js';
import { formatTimestamp, toUtc } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import { describeFsError } from './read-input.js';

export interface SessionState {
  readonly sessionId: string;
  readonly runId: string;
  readonly eventCount: number;
  readonly lastSequence: number;
  readonly checkpointCount: number;
  /** the last checkpoint's `sequence_end`, 0 before the first */
  readonly lastCheckpointSequence: number;
  /** '' before the first checkpoint */
  readonly lastCheckpointDigest: string;
  /** the journal size and modification time (ns, decimal) this state describes */
  readonly journalSizeBytes: number;
  readonly journalMtimeNs: string;
}

/** A journal's size and modification time, or undefined when it does not exist. */
export interface JournalStamp {
  readonly size: number;
  readonly mtimeNs: string;
}

/** @throws the file system's error other than ENOENT */
export function journalStamp(file: string): JournalStamp | undefined {
  try {
    const st = statSync(file, { bigint: true });
    return { size: Number(st.size), mtimeNs: st.mtimeNs.toString() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether `state` describes the journal with `stamp`. */
export function describesJournal(state: SessionState, stamp: JournalStamp | undefined): boolean {
  return stamp !== undefined && state.journalSizeBytes === stamp.size && state.journalMtimeNs === stamp.mtimeNs;
}

/** `<journal>.state.json` */
export function sessionStatePath(journalPath: string): string {
  return `${journalPath}.state.json`;
}

/** The state that describes `journal` as stamped. */
export function stateOfJournal(journal: SessionJournal, stamp: JournalStamp): SessionState {
  const last = journal.checkpoints[journal.checkpoints.length - 1];
  return {
    sessionId: journal.header.sessionId,
    runId: journal.header.runId,
    eventCount: journal.events.length,
    lastSequence: journal.events[journal.events.length - 1]?.sequence ?? 0,
    checkpointCount: journal.checkpoints.length,
    lastCheckpointSequence: last?.sequenceEnd ?? 0,
    lastCheckpointDigest: last?.checkpointDigest ?? '',
    journalSizeBytes: stamp.size,
    journalMtimeNs: stamp.mtimeNs,
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** Decodes a state file; undefined when it is not one (it is then rebuilt, never trusted). */
function decodeState(value: unknown): SessionState | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (o['schema_id'] !== SESSION_STATE_SCHEMA_ID || o['schema_version'] !== SESSION_SCHEMA_VERSION) return undefined;
  const sessionId = o['session_id'];
  const runId = o['run_id'];
  const digest = o['last_checkpoint_digest'] ?? '';
  const mtime = o['journal_mtime_ns'];
  const numbers = ['event_count', 'last_sequence', 'next_sequence', 'checkpoint_count', 'last_checkpoint_sequence', 'journal_size_bytes'].map((k) => count(o[k]));
  const [eventCount, lastSequence, nextSequence, checkpointCount, lastCheckpointSequence, journalSizeBytes] = numbers;
  if (typeof sessionId !== 'string' || sessionId === '' || typeof runId !== 'string' || runId === '' || typeof digest !== 'string') return undefined;
  if (numbers.some((n) => n === undefined) || nextSequence !== (lastSequence ?? 0) + 1) return undefined;
  if (typeof mtime !== 'string' || !/^\d+$/.test(mtime)) return undefined;
  return {
    sessionId,
    runId,
    eventCount: eventCount ?? 0,
    lastSequence: lastSequence ?? 0,
    checkpointCount: checkpointCount ?? 0,
    lastCheckpointSequence: lastCheckpointSequence ?? 0,
    lastCheckpointDigest: digest,
    journalSizeBytes: journalSizeBytes ?? 0,
    journalMtimeNs: mtime,
  };
}

/** Reads the state beside `journalPath`; undefined when it is missing or not a valid state file. */
export function readSessionState(journalPath: string): SessionState | undefined {
  let text: string;
  try {
    text = readFileSync(sessionStatePath(journalPath), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return decodeState(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Replaces the state beside `journalPath` (temp file in the same directory, rename; mode 0600).
 * @returns the state file's path and size
 * @throws GaitError `storage_io` naming the path
 */
export function writeSessionState(journalPath: string, state: SessionState, updatedAt: Timestamp, producerVersion: string): { path: string; size: number } {
  const path = sessionStatePath(journalPath);
  const text = `${JSON.stringify(
    {
      schema_id: SESSION_STATE_SCHEMA_ID,
      schema_version: SESSION_SCHEMA_VERSION,
      updated_at: formatTimestamp(toUtc(updatedAt)),
      producer_version: producerVersion,
      session_id: state.sessionId,
      run_id: state.runId,
      event_count: state.eventCount,
      last_sequence: state.lastSequence,
      next_sequence: state.lastSequence + 1,
      checkpoint_count: state.checkpointCount,
      last_checkpoint_index: state.checkpointCount,
      last_checkpoint_sequence: state.lastCheckpointSequence,
      ...(state.lastCheckpointDigest === '' ? {} : { last_checkpoint_digest: state.lastCheckpointDigest }),
      journal_size_bytes: state.journalSizeBytes,
      journal_mtime_ns: state.journalMtimeNs,
    },
    null,
    2,
  )}\n`;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw new GaitError('storage_io', `cannot write session state \`${path}\`: ${describeFsError(err)}`, { details: { path }, cause: err });
  }
  return { path, size: Buffer.byteLength(text) };
}
