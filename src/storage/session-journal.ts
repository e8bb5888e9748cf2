/**
 * Appending to session journals (artifacts.md §2.12, mcp-and-export.md §5.6) with the §6.3 append
 * discipline. Under the lock `<journal>.lock` (exclusive create, retry 10 ms, 30 s, stale after
 * 2 min) one append reads the next sequence from `<journal>.state.json` (rebuilt from the journal
 * when it does not describe it), writes the header when the journal is new and the event line in
 * one write plus fsync, emits a checkpoint when one is due, and replaces the state. Concurrent
 * requests and processes therefore get distinct sequences 1, 2, 3 … with no gap.
 *
 * `appendSessionEvent` is the one-shot path (a lock per append). A long-running service appends
 * through `SessionJournals` (`session-journals.ts`), which holds the lock and reuses the steps
 * exported here, so both write the same bytes.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildSessionEvent, readSessionJournal } from '../artifacts/session/journal.js';
import type { SessionEventInput, SessionHeader, SessionJournal } from '../artifacts/session/types.js';
import { eventToWire, headerToWire, journalLine } from '../artifacts/session/wire.js';
import { GaitError, isGaitError } from '../errors/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import { ensureDir } from './atomic-write.js';
import { appendLinesLocked, parseJsonl } from './jsonl-line.js';
import { SECTION_6_3_LOCK } from './held-append.js';
import { withFileLock } from './ledger/file-lock.js';
import type { FileLockOptions } from './ledger/file-lock.js';
import { describeFsError } from './read-input.js';
import { emitCheckpoint } from './session-checkpoint.js';
import type { CheckpointSettings, EmittedCheckpoint } from './session-checkpoint.js';
import { describesJournal, journalStamp, readSessionState, stateOfJournal, writeSessionState } from './session-state.js';
import type { JournalStamp, SessionState } from './session-state.js';

export const JOURNAL_PARTIAL_LINE_WARNING = 'session_journal_partial_line_terminated';

/** §6.3 lock timings. */
const LOCK: FileLockOptions = SECTION_6_3_LOCK;

export interface JournalCandidate {
  /** the journal path as shown (relative to `cwd` or absolute) */
  readonly path: string;
  /** the `<base>` of this journal's checkpoint files */
  readonly checkpointBase: string;
}

export interface SessionAppendOptions {
  readonly cwd: string;
  readonly sessionId: string;
  readonly runId: string;
  /** tried in order; a journal of another session or run is passed over (§5.6: `<base>`, then `<base>_<run id>`) */
  readonly journals: readonly JournalCandidate[];
  readonly event: SessionEventInput;
  readonly clock: Clock;
  readonly producerVersion: string;
  /** emit a checkpoint when `sequence % interval === 0` (file base: the journal's `checkpointBase`) */
  readonly checkpoint?: Omit<CheckpointSettings, 'base'> & { readonly interval: number };
  readonly lock?: FileLockOptions;
}

/** A file the append wrote, absolute, with its size (for retention). */
export interface WrittenFile {
  readonly path: string;
  readonly size: number;
}

export type SessionAppendResult =
  | {
      readonly kind: 'appended';
      /** the journal used, as shown */
      readonly journalPath: string;
      readonly sequence: number;
      /** set when this append emitted a checkpoint */
      readonly checkpoint: { readonly runpackPath: string; readonly chainPath: string; readonly index: number } | undefined;
      /** the journal, its state and chain files (not the checkpoint runpack) */
      readonly sessionFiles: readonly WrittenFile[];
      /** the checkpoint runpack, when one was written */
      readonly runpackFile: WrittenFile | undefined;
      readonly warnings: readonly string[];
    }
  | {
      /** every candidate belongs to another session or run */
      readonly kind: 'foreign';
      readonly journalPath: string;
      readonly ownerSessionId: string;
      readonly ownerRunId: string;
    };

interface OnDisk {
  readonly journal: SessionJournal | undefined;
  readonly size: number;
}

/**
 * Reads a journal file (a missing file reads as no journal).
 * @throws GaitError `storage_io` (unreadable, or not a valid journal: the message says why)
 */
export function readSessionJournalFile(file: string, shown = file): OnDisk {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { journal: undefined, size: 0 };
    throw new GaitError('storage_io', `cannot read session journal \`${shown}\`: ${describeFsError(err)}`, { details: { path: shown }, cause: err });
  }
  const lines = parseJsonl(bytes.toString('utf8'));
  try {
    return { journal: readSessionJournal(lines.records, lines.skipped), size: bytes.length };
  } catch (err) {
    if (!isGaitError(err)) throw err;
    throw new GaitError('storage_io', `session journal \`${shown}\` cannot be extended: ${err.message}`, {
      hint: 'the journal was changed outside gait; move it away to start a new journal for the session',
      details: { path: shown },
      cause: err,
    });
  }
}

function stampOf(file: string, shown: string): JournalStamp | undefined {
  try {
    return journalStamp(file);
  } catch (err) {
    throw new GaitError('storage_io', `cannot read session journal \`${shown}\`: ${describeFsError(err)}`, { details: { path: shown }, cause: err });
  }
}

/** The journal's state: the side file when it describes the journal, else rebuilt from the journal. */
export function currentState(file: string, shown: string): SessionState | undefined {
  const cached = readSessionState(file);
  const stamp = stampOf(file, shown);
  if (cached !== undefined && describesJournal(cached, stamp)) return cached;
  const disk = readSessionJournalFile(file, shown);
  return disk.journal === undefined || stamp === undefined ? undefined : stateOfJournal(disk.journal, stamp);
}

/** `storage_io` for a failed journal append. */
export function journalAppendError(shown: string, err: unknown): GaitError {
  return new GaitError('storage_io', `cannot append to session journal \`${shown}\`: ${describeFsError(err)}`, { details: { path: shown }, cause: err });
}

function appendOrFail(file: string, shown: string, text: string): ReturnType<typeof appendLinesLocked> {
  try {
    return appendLinesLocked(file, Buffer.from(text, 'utf8'));
  } catch (err) {
    throw journalAppendError(shown, err);
  }
}

/** The owner of a journal when it is not the appending session and run. */
export function foreignOwner<T extends Pick<SessionState, 'sessionId' | 'runId'>>(found: T | undefined, options: Pick<SessionAppendOptions, 'sessionId' | 'runId'>): T | undefined {
  return found !== undefined && (found.sessionId !== options.sessionId || found.runId !== options.runId) ? found : undefined;
}

/** The next event of a journal in state `found` (undefined: a new journal): its sequence and the text to append. */
export function nextEvent(found: SessionState | undefined, options: SessionAppendOptions): { sequence: number; text: string; now: Timestamp } {
  const now = options.clock.now();
  const header: SessionHeader = { sessionId: options.sessionId, runId: options.runId, createdAt: now, producerVersion: options.producerVersion, startedAt: now };
  const sequence = (found?.lastSequence ?? 0) + 1;
  const event = buildSessionEvent(header, sequence, now, options.producerVersion, options.event);
  // A new journal gets its header and first event in the same write.
  const text = `${found === undefined ? `${journalLine('header', headerToWire(header))}\n` : ''}${journalLine('event', eventToWire(event))}\n`;
  return { sequence, text, now };
}

/** The state after appending event `sequence` to a journal in state `found`, the journal then `size` bytes. */
export function stateAfter(found: SessionState | undefined, sequence: number, size: number, options: SessionAppendOptions): SessionState {
  return {
    sessionId: options.sessionId,
    runId: options.runId,
    eventCount: (found?.eventCount ?? 0) + 1,
    lastSequence: sequence,
    checkpointCount: found?.checkpointCount ?? 0,
    lastCheckpointSequence: found?.lastCheckpointSequence ?? 0,
    lastCheckpointDigest: found?.lastCheckpointDigest ?? '',
    journalSizeBytes: size,
    journalMtimeNs: '',
  };
}

/**
 * The checkpoint of `sequence`, when the interval asks for one: the emitted files and the state after
 * it. The caller holds the journal's lock.
 */
export function checkpointIfDue(candidate: JournalCandidate, file: string, sequence: number, options: SessionAppendOptions): { emitted: EmittedCheckpoint; state: SessionState } | undefined {
  const cp = options.checkpoint;
  if (cp === undefined || cp.interval <= 0 || sequence % cp.interval !== 0) return undefined;
  const shown = candidate.path;
  const { journal } = readSessionJournalFile(file, shown);
  if (journal === undefined) throw new GaitError('storage_io', `session journal \`${shown}\` disappeared during the append`, { details: { path: shown } });
  const settings = { ...cp, base: candidate.checkpointBase };
  const emitted = emitCheckpoint(journal, { journalShown: shown, journalFile: file, cwd: options.cwd }, sequence, settings, options.clock, options.producerVersion);
  const state = stateOfJournal({ ...journal, checkpoints: [...journal.checkpoints, emitted.record] }, { size: emitted.journalSize, mtimeNs: '' });
  return { emitted, state };
}

/**
 * Replaces the state with `state` stamped with the journal as it is now.
 * @returns the journal and the state file
 */
export function saveState(file: string, shown: string, state: SessionState, producerVersion: string, now: Timestamp): WrittenFile[] {
  const stamp = stampOf(file, shown) ?? { size: 0, mtimeNs: '' };
  const saved = writeSessionState(file, { ...state, journalSizeBytes: stamp.size, journalMtimeNs: stamp.mtimeNs }, now, producerVersion);
  return [{ path: file, size: stamp.size }, saved];
}

/** The `appended` result of an append of `sequence` to `candidate` (its session files: the journal first). */
export function appendedResult(
  candidate: JournalCandidate,
  sequence: number,
  files: readonly WrittenFile[],
  emitted: EmittedCheckpoint | undefined,
  terminatedPartialLine: boolean,
): SessionAppendResult {
  const shown = candidate.path;
  return {
    kind: 'appended',
    journalPath: shown,
    sequence,
    checkpoint: emitted === undefined ? undefined : { runpackPath: emitted.runpackPath, chainPath: emitted.chainPath, index: emitted.record.checkpointIndex },
    sessionFiles: emitted === undefined ? files : [...files, { path: emitted.chainFile, size: emitted.chainSize }],
    runpackFile: emitted === undefined ? undefined : { path: emitted.runpackFile, size: emitted.runpackSize },
    warnings: terminatedPartialLine ? [`${JOURNAL_PARTIAL_LINE_WARNING}=${shown}`] : [],
  };
}

export function foreignResult(shown: string, owner: Pick<SessionState, 'sessionId' | 'runId'>): SessionAppendResult {
  return { kind: 'foreign', journalPath: shown, ownerSessionId: owner.sessionId, ownerRunId: owner.runId };
}

function appendUnderLock(candidate: JournalCandidate, file: string, options: SessionAppendOptions): SessionAppendResult {
  const shown = candidate.path;
  const found = currentState(file, shown);
  const owner = foreignOwner(found, options);
  if (owner !== undefined) return foreignResult(shown, owner);
  const { sequence, text, now } = nextEvent(found, options);
  const appended = appendOrFail(file, shown, text);
  let state = stateAfter(found, sequence, appended.size, options);
  let emitted: EmittedCheckpoint | undefined;
  let files: WrittenFile[];
  try {
    const due = checkpointIfDue(candidate, file, sequence, options);
    if (due !== undefined) ({ emitted, state } = due);
  } finally {
    // INVARIANT: the state describes what was appended, also when the checkpoint failed.
    files = saveState(file, shown, state, options.producerVersion, now);
  }
  return appendedResult(candidate, sequence, files, emitted, appended.terminatedPartialLine);
}

/** §5.6 / artifacts.md §2.12: a session event needs both ids (a header without them could never be read back). */
export function assertSessionIds(options: Pick<SessionAppendOptions, 'sessionId' | 'runId'>): void {
  if (options.sessionId.trim() === '' || options.runId.trim() === '') throw new GaitError('internal_failure', 'a session event needs a session id and a run id');
}

/**
 * Appends one event to the session's journal, creating it (with its header) when needed.
 * @returns `appended` with the journal used and the sequence, or `foreign` when every candidate journal
 *   belongs to another session or run
 * @throws GaitError `storage_io` (a write failure, a journal that is not valid, an existing checkpoint
 *   file), `storage_contention` (the lock stays busy for 30 s), `internal_failure` (no session or run
 *   id, a checkpoint that cannot be recorded)
 * @example appendSessionEvent({ cwd, sessionId: 's', runId: 'run_a', journals: [{ path: 'sessions/s.journal.jsonl', checkpointBase: 's' }], event, clock, producerVersion })
 */
export function appendSessionEvent(options: SessionAppendOptions): SessionAppendResult {
  // A header without both ids could never be read back (journal.ts), so none is written.
  assertSessionIds(options);
  let foreign: SessionAppendResult | undefined;
  for (const candidate of options.journals) {
    const file = resolve(options.cwd, candidate.path);
    ensureDir(dirname(file));
    const attempt = withFileLock(`${file}.lock`, () => appendUnderLock(candidate, file, options), options.lock ?? LOCK);
    if (attempt.kind === 'appended') return attempt;
    foreign ??= attempt;
  }
  if (foreign === undefined) throw new GaitError('internal_failure', 'no session journal to append to');
  return foreign;
}
