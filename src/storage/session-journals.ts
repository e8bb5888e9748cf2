/**
 * Session journals of a long-running service (mcp-and-export.md §5.6, artifacts.md §2.12; ADR 0012
 * "Journals and exports"): the same records, sequences and files as `appendSessionEvent`, through
 * held appenders (`held-append.ts`). While a journal's lock is held its state lives in memory: an
 * append is one write (plus the service's durability), with no lock file, state file read, stat or
 * fsync of its own. The state side file is written when the hold ends and after each checkpoint; it
 * stays a cache, trusted only when it matches the journal's size and mtime. Checkpoints run under the
 * held lock on the one-shot path (`checkpointIfDue`). Appends of one journal run in call order, so
 * concurrent requests get consecutive sequences; other processes wait for the hold to end.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GaitError, isGaitError } from '../errors/index.js';
import type { FileLockOptions } from './ledger/file-lock.js';
import type { DurableWriter } from './durable-writer.js';
import { HeldAppenders } from './held-append.js';
import type { HeldFile } from './held-append.js';
import type { EmittedCheckpoint } from './session-checkpoint.js';
import {
  appendedResult,
  assertSessionIds,
  checkpointIfDue,
  currentState,
  foreignOwner,
  foreignResult,
  journalAppendError,
  nextEvent,
  saveState,
  stateAfter,
} from './session-journal.js';
import type { JournalCandidate, SessionAppendOptions, SessionAppendResult, WrittenFile } from './session-journal.js';
import { journalStamp } from './session-state.js';
import type { SessionState } from './session-state.js';

export interface SessionJournalsOptions {
  readonly writer: DurableWriter;
  /** a state side file was written when a hold ended (retention) */
  readonly onStateWritten?: (file: WrittenFile) => void;
  /** lock timings (default §6.3) and hold timings (`held-append.ts` defaults) */
  readonly lock?: FileLockOptions;
  readonly idleMs?: number;
  readonly refreshMs?: number;
  readonly maxHoldMs?: number;
  /** journals held at once (default 256): past it the least recently used idle journal is released */
  readonly maxHolds?: number;
}

/** What a held journal keeps in memory. */
interface JournalHold {
  /** the state was read (by the first append of the hold) */
  loaded: boolean;
  shown: string;
  /** undefined: the journal is new (empty or missing) */
  state: SessionState | undefined;
  /** for the state file written when the hold ends */
  producerVersion: string;
  clock: SessionAppendOptions['clock'] | undefined;
}

/** Journals known to belong to another session or run, by inode (a journal's header never changes). */
interface KnownOwner {
  readonly dev: number;
  readonly ino: number;
  readonly sessionId: string;
  readonly runId: string;
}

const MAX_KNOWN_OWNERS = 1024;

/** The held session journals of one service. */
export class SessionJournals {
  private readonly held: HeldAppenders<JournalHold>;
  private readonly owners = new Map<string, KnownOwner>();

  constructor(private readonly options: SessionJournalsOptions) {
    this.held = new HeldAppenders<JournalHold>((path) => ({
      writer: options.writer,
      ...(options.lock === undefined ? {} : { lock: options.lock }),
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      ...(options.refreshMs === undefined ? {} : { refreshMs: options.refreshMs }),
      ...(options.maxHoldMs === undefined ? {} : { maxHoldMs: options.maxHoldMs }),
      hooks: {
        // The state is read by the first append of a hold, which knows the journal path as shown.
        opened: () => ({ loaded: false, shown: path, state: undefined, producerVersion: '', clock: undefined }),
        closing: (file, hold) => this.writeState(file, hold),
      },
    }), options.maxHolds);
  }

  /**
   * Appends one event to the session's journal, as `appendSessionEvent` does (same candidates, records,
   * results and errors), through the held lock.
   * @throws GaitError `storage_io`, `storage_contention`, `internal_failure` (see `appendSessionEvent`)
   */
  async append(options: SessionAppendOptions): Promise<SessionAppendResult> {
    assertSessionIds(options);
    let foreign: SessionAppendResult | undefined;
    for (const candidate of options.journals) {
      const file = resolve(options.cwd, candidate.path);
      const known = this.knownForeign(file, options);
      const attempt = known ?? (await this.appendTo(file, candidate, options));
      if (attempt.kind === 'appended') return attempt;
      foreign ??= attempt;
    }
    if (foreign === undefined) throw new GaitError('internal_failure', 'no session journal to append to');
    return foreign;
  }

  /** Journals held now, absolute (tests). */
  heldJournals(): string[] {
    return this.held.heldPaths();
  }

  /** Ends every hold: state files written, fsyncs done, locks removed. Never rejects. */
  close(): Promise<void> {
    return this.held.close();
  }

  private async appendTo(file: string, candidate: JournalCandidate, options: SessionAppendOptions): Promise<SessionAppendResult> {
    try {
      return await this.held.run(file, (held, hold) => this.appendHeld(candidate, held, hold, options));
    } catch (err) {
      // the journal could not be opened when the lock was taken
      if (isGaitError(err)) throw err;
      throw journalAppendError(candidate.path, err);
    }
  }

  /** The owner cached for `file` when it is another session's or run's and still the same file. */
  private knownForeign(file: string, options: SessionAppendOptions): SessionAppendResult | undefined {
    const known = this.owners.get(file);
    if (known === undefined) return undefined;
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined || st.ino !== known.ino || st.dev !== known.dev) {
      this.owners.delete(file);
      return undefined;
    }
    const owner = foreignOwner(known, options);
    const candidate = options.journals.find((c) => resolve(options.cwd, c.path) === file);
    return owner === undefined ? undefined : foreignResult(candidate?.path ?? file, owner);
  }

  private rememberOwner(file: string, owner: SessionState): void {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (this.owners.size >= MAX_KNOWN_OWNERS) this.owners.clear();
    this.owners.set(file, { dev: st.dev, ino: st.ino, sessionId: owner.sessionId, runId: owner.runId });
  }

  /** One append under the held lock, with the journal's state in memory. */
  private appendHeld(candidate: JournalCandidate, held: HeldFile, hold: JournalHold, options: SessionAppendOptions): SessionAppendResult {
    const shown = candidate.path;
    if (!hold.loaded) {
      hold.state = currentState(held.path, shown);
      hold.shown = shown;
      hold.loaded = true;
    }
    const found = hold.state;
    const owner = foreignOwner(found, options);
    if (owner !== undefined) {
      this.rememberOwner(held.path, owner);
      // Not ours: do not keep another run's journal locked when this hold was taken for the check.
      if (held.appends === 0) held.releaseAfter();
      return foreignResult(shown, owner);
    }
    hold.producerVersion = options.producerVersion;
    hold.clock = options.clock;
    const { sequence, text, now } = nextEvent(found, options);
    let terminated: boolean;
    try {
      terminated = held.append(Buffer.from(text, 'utf8'));
    } catch (err) {
      throw journalAppendError(shown, err);
    }
    // INVARIANT: the state describes what was appended, also when the checkpoint below fails.
    hold.state = stateAfter(found, sequence, held.size, options);
    const files: WrittenFile[] = [{ path: held.path, size: held.size }];
    let emitted: EmittedCheckpoint | undefined;
    const due = checkpointIfDue(candidate, held.path, sequence, options);
    if (due !== undefined) {
      emitted = due.emitted;
      held.resize();
      hold.state = { ...due.state, journalSizeBytes: held.size };
      files.splice(0, 1, ...saveState(held.path, shown, hold.state, options.producerVersion, now));
    }
    return appendedResult(candidate, sequence, files, emitted, terminated);
  }

  /** The state side file, when the hold ends: only when the journal is still the size this hold wrote. */
  private writeState(held: HeldFile, hold: JournalHold): void {
    const state = hold.state;
    if (state === undefined || hold.clock === undefined) return;
    const stamp = journalStamp(held.path);
    if (stamp === undefined || stamp.size !== held.size) return;
    const [, saved] = saveState(held.path, hold.shown, state, hold.producerVersion, hold.clock.now());
    if (saved !== undefined) this.options.onStateWritten?.(saved);
  }
}
