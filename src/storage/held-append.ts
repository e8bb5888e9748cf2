/**
 * Held appenders: the §6.3 append discipline (mcp-and-export.md; lock `<file>.lock`, one write per
 * line set, torn last line terminated, 0600, never truncated) for a long-running service, at the cost
 * of one write per append instead of a lock, an open and an fsync (docs/adr/0012).
 *
 * Per file, the service takes the lock once (asynchronously: the waits are timers) and keeps it while
 * appends keep coming: the file stays open (O_APPEND), the torn-last-line check runs once when the
 * lock is taken, and each append is one write plus the durability of the service's `DurableWriter`
 * (`syncAppend`). The lock file's mtime is refreshed while held, so other processes never judge it
 * stale. The hold ends after `idleMs` without appends, after `maxHoldMs` (the lock is then offered to
 * waiting processes for a moment before it is taken again), when the file was moved or removed at
 * its path, when the lock was lost, after a failed append, and at `close()`. Ending a hold runs the
 * owner's `closing` hook under the lock (only after a normal end), then the outstanding fsync, then
 * closes the file and removes the lock.
 *
 * Calls of one file run one at a time in call order (a promise chain), so an owner's in-memory state
 * (a journal's next sequence) is consistent without locking per append. A call's lock wait is bounded
 * from when it was made: calls queued behind a busy lock all fail at about one timeout, not one
 * timeout each.
 *
 * `HeldAppenders` caps the holds of one service (descriptors, lock files, timers; default 256): a new
 * hold past the cap first ends the least recently used idle hold (a normal end), else waits for a
 * hold to end, within the same deadline.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { GaitError } from '../errors/index.js';
import { ensureDir } from './atomic-write.js';
import type { DurableWriter } from './durable-writer.js';
import { acquireFileLock, tryAcquireFileLock } from './ledger/file-lock.js';
import type { FileLockOptions, HeldFileLock } from './ledger/file-lock.js';
import { FileView } from './held-file.js';
import type { HeldAppendFs, HeldFile } from './held-file.js';

export type { HeldAppendFs, HeldFile } from './held-file.js';

/** §6.3 lock timings: retry every 10 ms, give up after 30 s, stale after 2 min. */
export const SECTION_6_3_LOCK: FileLockOptions = { retryMs: 10, timeoutMs: 30_000, staleMs: 120_000 };
export const DEFAULT_IDLE_MS = 1000;
export const DEFAULT_REFRESH_MS = 10_000;
export const DEFAULT_MAX_HOLD_MS = 10_000;
/** Holds of one `HeldAppenders` at once (descriptors, lock files, timers). */
export const DEFAULT_MAX_HOLDS = 256;

export interface HoldHooks<S> {
  /** runs when a hold starts, under the lock, after the torn-line check; its result is the hold's state */
  readonly opened: (file: HeldFile) => S;
  /** runs when a hold ends normally (idle, max hold, close), under the lock, before the final fsync */
  readonly closing?: (file: HeldFile, state: S) => void;
}

export interface HeldAppendOptions<S> {
  readonly writer: DurableWriter;
  readonly hooks: HoldHooks<S>;
  /** default §6.3 */
  readonly lock?: FileLockOptions;
  /** end the hold after this long without appends (default 1 s) */
  readonly idleMs?: number;
  /** refresh the lock file's mtime at least this often (default 10 s; keep it below the stale age) */
  readonly refreshMs?: number;
  /** end and re-take the hold after this long, so other processes get a turn (default 10 s) */
  readonly maxHoldMs?: number;
  /** a `closing` hook failed (it writes caches only: the hold still ends) */
  readonly onHookError?: (err: unknown) => void;
  readonly fs?: HeldAppendFs;
}

interface Hold<S> {
  readonly lock: HeldFileLock;
  readonly file: FileView;
  state: S;
  readonly acquiredAt: number;
  lastUse: number;
  refreshedAt: number;
  /** the lock file was found not ours at a refresh, or an append failed: append no more */
  lost: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** What a call appended and the durability still to wait for. */
interface Ran<T> {
  readonly value: T;
  /** `syncAppend` of what the call appended (`always`: the fsync); undefined when nothing was appended */
  readonly sync: Promise<void> | undefined;
}

const noop = (): void => undefined;

/**
 * How an appender of a `HeldAppenders` takes part in the cap: a hold takes a slot before its lock is
 * acquired and gives it back after the lock is removed.
 */
export interface HoldSlots {
  /** A slot now, without waiting (false: none free, or others wait for one). */
  tryTake(): boolean;
  /**
   * A slot, waiting (and ending idle holds of other files) until `deadline` (epoch ms).
   * @throws GaitError `storage_contention` when no slot is free by the deadline
   */
  take(path: string, deadline: number): Promise<void>;
  give(): void;
  /** The appender has a hold and no call waiting: end it if a slot is wanted. */
  idle(appender: { endIdle(): void }): void;
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** One file appended to by a service. */
export class HeldAppender<S> {
  private hold: Hold<S> | undefined;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private closed = false;
  private ending = 0;
  private readonly f: HeldAppendFs;
  private readonly idleMs: number;
  private readonly refreshMs: number;
  private readonly maxHoldMs: number;
  private readonly lock: FileLockOptions;

  constructor(
    readonly path: string,
    private readonly options: HeldAppendOptions<S>,
    private readonly onIdle: () => void = noop,
    private readonly slots?: HoldSlots,
  ) {
    this.f = options.fs ?? fs;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
    this.maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.lock = options.lock ?? SECTION_6_3_LOCK;
  }

  /** Whether the lock is held now (also while a hold is ending). */
  get held(): boolean {
    return this.hold !== undefined || this.ending > 0;
  }

  /** Calls waiting for their turn (or running). */
  get pending(): number {
    return this.queued;
  }

  /** When the current hold was last appended to (epoch ms); undefined without a hold. */
  get lastUse(): number | undefined {
    return this.hold?.lastUse;
  }

  /** Whether the hold can be ended at once: held, no call waiting or running, not ending. */
  get idleHold(): boolean {
    return this.hold !== undefined && this.queued === 0 && this.ending === 0;
  }

  /** Ends the hold normally (a slot of the cap is wanted) unless calls came in first. */
  endIdle(): void {
    const hold = this.hold;
    if (hold === undefined || this.ending > 0) return;
    void this.enqueue(() => this.endIf(hold));
  }

  /**
   * Runs `fn` with the lock held and the file open, after every earlier call of this file, then
   * applies the writer's durability to what it appended (`always`: resolves after the fsync).
   * @throws GaitError `storage_contention` (the lock stays busy for the timeout), `storage_io`
   *   (`always`: the fsync failed); the file system's error opening the file; whatever `fn` throws
   *   (the hold then ends: the next call takes the lock and reads the file again)
   */
  async run<T>(fn: (file: HeldFile, state: S) => T): Promise<T> {
    // INVARIANT: the lock wait of a call is bounded from now, however long earlier calls take.
    const deadline = Date.now() + (this.lock.timeoutMs ?? 3000); // 3000: the default of `acquireFileLock`
    const { value, sync } = await this.enqueue(() => this.exclusive(fn, deadline));
    if (sync !== undefined) await sync;
    return value;
  }

  /**
   * Runs `fn` now, synchronously, when that needs no waiting: no earlier call is pending and the hold
   * is valid, or the lock is free and taken at once (one attempt, never a wait). Otherwise returns
   * undefined and the caller uses `run`. `sync` is the durability of what `fn` appended, not awaited
   * (`batched` and `never` have nothing to wait for).
   * @throws as `run`
   */
  tryRunNow<T>(fn: (file: HeldFile, state: S) => T): Ran<T> | undefined {
    if (this.closed || this.queued > 0 || this.ending > 0) return undefined;
    let hold = this.hold;
    if (hold !== undefined && !this.usable(hold)) return undefined;
    if (hold === undefined) {
      if (this.slots !== undefined && !this.slots.tryTake()) return undefined;
      let lock: HeldFileLock | undefined;
      try {
        ensureDir(dirname(this.path));
        lock = tryAcquireFileLock(`${this.path}.lock`, this.lock);
      } catch (err) {
        this.slots?.give();
        throw err;
      }
      if (lock === undefined) {
        this.slots?.give();
        return undefined;
      }
      hold = this.open(lock);
    }
    return this.apply(hold, fn);
  }

  /** Resolves when every call made so far has run. */
  async drain(): Promise<void> {
    await this.tail;
  }

  /** Ends the hold after the calls already made; later calls fail. Never rejects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.enqueue(() => this.endHold(true)).catch(noop);
  }

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    this.queued += 1;
    const turn = this.tail.then(step);
    this.tail = turn.then(noop, noop).then(() => {
      this.queued -= 1;
      if (this.queued === 0 && this.hold === undefined) this.onIdle();
      else if (this.queued === 0 && this.ending === 0) this.slots?.idle(this);
    });
    return turn;
  }

  private async exclusive<T>(fn: (file: HeldFile, state: S) => T, deadline: number): Promise<Ran<T>> {
    if (this.closed) throw new GaitError('internal_failure', `appender of \`${this.path}\` is closed`);
    const ran = this.apply(await this.ensureHeld(deadline), fn);
    if (this.hold?.file.release === true) await this.endHold(true);
    return ran;
  }

  /** Runs `fn` on `hold` and hands what it appended to the writer. */
  private apply<T>(hold: Hold<S>, fn: (file: HeldFile, state: S) => T): Ran<T> {
    const file = hold.file;
    const before = file.appends;
    let value: T | undefined;
    let failure: { readonly err: unknown } | undefined;
    try {
      value = fn(file, hold.state);
    } catch (err) {
      failure = { err };
    }
    hold.lastUse = Date.now();
    let sync: Promise<void> | undefined;
    if (file.appends > before) {
      sync = this.options.writer.syncAppend(file.fd, this.path, { newEntry: file.newEntry });
      file.newEntry = false;
      sync.catch(noop); // awaited by the caller; never an unhandled rejection in between
    }
    if (failure !== undefined) {
      // What was appended before the failure stays in the file and gets its fsync; the in-memory
      // state is not trusted any more, so the hold ends without the `closing` hook.
      hold.lost = true;
      void this.enqueue(async () => {
        await sync?.catch(noop);
        if (this.hold === hold) await this.endHold(false);
      });
      throw failure.err;
    }
    // `tryRunNow` only (a queued call ends its hold itself, in `exclusive`)
    if (file.release && this.queued === 0) void this.enqueue(() => this.endIf(hold));
    return { value: value as T, sync };
  }

  private async endIf(hold: Hold<S>): Promise<void> {
    if (this.hold === hold) await this.endHold(true);
  }

  /** Whether appends may go on under `hold`: ours, at its path, not held too long. */
  private usable(hold: Hold<S>): boolean {
    return !hold.lost && !hold.file.release && Date.now() - hold.acquiredAt < this.maxHoldMs && hold.file.atPath();
  }

  /**
   * The current hold, ended first when it is no longer valid or too old; else a new one, waiting for
   * a slot of the cap and for the lock until `deadline` (epoch ms).
   */
  private async ensureHeld(deadline: number): Promise<Hold<S>> {
    const h = this.hold;
    if (h !== undefined) {
      if (this.usable(h)) return h;
      const tooOld = !h.lost && !h.file.release && Date.now() - h.acquiredAt >= this.maxHoldMs;
      await this.endHold(!h.lost);
      // After a long hold, leave processes that retry every `retryMs` a few attempts at the lock.
      if (tooOld) await delay(3 * (this.lock.retryMs ?? 10));
    }
    await this.slots?.take(this.path, deadline);
    let lock: HeldFileLock;
    try {
      ensureDir(dirname(this.path));
      // Past the deadline this is one attempt: a busy lock is `storage_contention` at once.
      lock = await acquireFileLock(`${this.path}.lock`, { ...this.lock, timeoutMs: Math.max(0, deadline - Date.now()) });
    } catch (err) {
      this.slots?.give();
      throw err;
    }
    return this.open(lock);
  }

  /** Opens the file under `lock` and starts the hold. */
  private open(lock: HeldFileLock): Hold<S> {
    const file = new FileView(this.path, this.f, this.options.writer);
    try {
      file.open();
    } catch (err) {
      lock.release();
      this.slots?.give();
      throw err;
    }
    let state: S;
    try {
      state = this.options.hooks.opened(file);
    } catch (err) {
      file.close();
      lock.release();
      this.slots?.give();
      throw err;
    }
    const now = Date.now();
    const hold: Hold<S> = { lock, file, state, acquiredAt: now, lastUse: now, refreshedAt: now, lost: false, timer: undefined };
    this.hold = hold;
    this.arm(hold);
    return hold;
  }

  /** One timer per hold: ends an idle hold, refreshes the lock file's mtime in between. */
  private arm(h: Hold<S>): void {
    const now = Date.now();
    const wait = Math.max(1, Math.min(h.lastUse + this.idleMs - now, h.refreshedAt + this.refreshMs - now));
    h.timer = setTimeout(() => this.tick(h), wait);
  }

  private tick(h: Hold<S>): void {
    if (this.hold !== h) return;
    const now = Date.now();
    if (now - h.refreshedAt >= this.refreshMs) {
      h.refreshedAt = now;
      if (!h.lock.refresh()) h.lost = true;
    }
    if (now - h.lastUse < this.idleMs) {
      this.arm(h);
      return;
    }
    void this.enqueue(async () => {
      // an append may have come in while this step waited its turn
      if (this.hold !== h) return;
      if (Date.now() - h.lastUse >= this.idleMs) await this.endHold(true);
      else this.arm(h);
    });
  }

  /**
   * Ends the hold: the `closing` hook (after a normal end, while the lock is ours and the file at its
   * path), the outstanding fsync, close, lock removal. Never throws.
   */
  private async endHold(normal: boolean): Promise<void> {
    const h = this.hold;
    if (h === undefined) return;
    this.hold = undefined;
    this.ending += 1;
    if (h.timer !== undefined) clearTimeout(h.timer);
    try {
      if (normal && !h.lost && h.file.atPath()) this.options.hooks.closing?.(h.file, h.state);
    } catch (err) {
      this.options.onHookError?.(err);
    }
    try {
      await this.options.writer.releaseAppend(h.file.fd);
      h.file.close();
    } catch {
      // already closed: nothing more to release
    } finally {
      h.lock.release();
      this.ending -= 1;
      this.slots?.give();
    }
  }
}

/** The cap of a `HeldAppenders`: slots for holds, handed to waiters in arrival order. */
class CappedSlots implements HoldSlots {
  private used = 0;
  private readonly waiters: Array<{ readonly grant: () => void }> = [];

  /** @param evict ends the least recently used idle hold, if any */
  constructor(
    private readonly max: number,
    private readonly evict: () => void,
  ) {}

  tryTake(): boolean {
    if (this.used >= this.max || this.waiters.length > 0) return false;
    this.used += 1;
    return true;
  }

  take(path: string, deadline: number): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(
          new GaitError('storage_contention', `cannot lock \`${path}.lock\`: ${String(this.max)} files are held by this service (the limit) and none became free`, {
            hint: 'retry; appends to many distinct files at once wait for a held file to go idle',
            details: { path: `${path}.lock` },
          }),
        );
      }, Math.max(0, deadline - Date.now()));
      this.waiters.push(waiter);
      this.evict();
    });
  }

  give(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next.grant(); // the slot passes to the waiter
    else this.used = Math.max(0, this.used - 1);
  }

  idle(appender: { endIdle(): void }): void {
    if (this.waiters.length > 0) appender.endIdle();
  }
}

/** The held appenders of a service, one per file; an appender whose hold ended is dropped. */
export class HeldAppenders<S> {
  private readonly byPath = new Map<string, HeldAppender<S>>();
  private readonly slots: CappedSlots;
  private closed = false;

  /**
   * @param optionsFor the options of a file's appender, when it is first used
   * @param maxHolds holds at once (default 256): past it the least recently used idle hold ends first
   */
  constructor(
    private readonly optionsFor: (path: string) => HeldAppendOptions<S>,
    maxHolds: number = DEFAULT_MAX_HOLDS,
  ) {
    this.slots = new CappedSlots(Math.max(1, maxHolds), () => this.endLeastRecentIdle());
  }

  /** `HeldAppender.run` on the appender of `path` (absolute). */
  run<T>(path: string, fn: (file: HeldFile, state: S) => T): Promise<T> {
    if (this.closed) return Promise.reject(new GaitError('internal_failure', `appender of \`${path}\` is closed`));
    let appender = this.byPath.get(path);
    if (appender === undefined) {
      const created: HeldAppender<S> = new HeldAppender(
        path,
        this.optionsFor(path),
        () => {
          if (this.byPath.get(path) === created) this.byPath.delete(path);
        },
        this.slots,
      );
      appender = created;
      this.byPath.set(path, appender);
    }
    return appender.run(fn);
  }

  /** Ends the idle hold appended to least recently (a normal end), so a new hold gets its slot. */
  private endLeastRecentIdle(): void {
    let oldest: HeldAppender<S> | undefined;
    for (const a of this.byPath.values()) {
      if (a.idleHold && (oldest === undefined || (a.lastUse ?? 0) < (oldest.lastUse ?? 0))) oldest = a;
    }
    oldest?.endIdle();
  }

  /** The files held now (tests, health). */
  heldPaths(): string[] {
    return [...this.byPath.values()].filter((a) => a.held).map((a) => a.path);
  }

  /** Ends every hold (final fsync, lock removal); later calls fail. Never rejects. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.byPath.values()].map((a) => a.close()));
    this.byPath.clear();
  }
}
