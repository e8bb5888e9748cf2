/**
 * A cross-process exclusive lock file: synchronous for the gate pipeline (`withFileLock`), and
 * asynchronous for long-running services (`acquireFileLock`: the waits between attempts are timers,
 * never a blocked event loop; the lock is held until released and its mtime can be refreshed so a
 * long hold never looks stale).
 *
 * Acquire: `open(lock, O_CREAT | O_EXCL)` with `{"pid":…,"created_at":…}` as content, retried every
 * 15 ms for up to 3 s. A lock whose mtime is older than 15 s is stale (its holder died): it is renamed
 * aside, and removed only if the renamed file is the very lock judged stale (same inode); a fresh lock
 * that replaced it in between is linked back. Release removes the lock only while it is still ours.
 * Residual risk: a holder that stalls longer than the stale age loses its lock to another process.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { GaitError } from '../../errors/index.js';
import { describeFsError } from '../read-input.js';
import { sleepSync } from './sleep-sync.js';

export interface FileLockOptions {
  /** wait between attempts (default 15 ms) */
  readonly retryMs?: number;
  /** give up after this long with `storage_contention` (default 3000 ms) */
  readonly timeoutMs?: number;
  /** a lock older than this is stale and removed (default 15000 ms) */
  readonly staleMs?: number;
}

interface Held {
  readonly dev: number;
  readonly ino: number;
  /** what the lock file holds (pid, creation time) */
  readonly content: string;
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** @returns the lock when created, undefined when it already exists */
function tryCreate(lockPath: string): Held | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return undefined;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const content = `${JSON.stringify({ pid: process.pid, created_at: new Date().toISOString() })}\n`;
    writeSync(fd, content);
    return { dev: st.dev, ino: st.ino, content };
  } catch (err) {
    removeQuietly(lockPath);
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** Removes the lock if it is stale. @returns whether to retry at once (lock gone or removed) */
function breakIfStale(lockPath: string, staleMs: number): boolean {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch {
    return true;
  }
  if (Date.now() - st.mtimeMs < staleMs) return false;
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    // ENOENT: someone else broke it first, retry at once. Anything else (a read-only or sticky
    // directory): the lock cannot be broken, so wait and let the deadline end it, never spin.
    return errnoOf(err) === 'ENOENT';
  }
  const moved = lstatSync(aside);
  if (moved.ino !== st.ino || moved.dev !== st.dev) {
    try {
      linkSync(aside, lockPath); // we moved a fresh lock: put it back
    } catch {
      // a third process holds the lock by now
    }
  }
  removeQuietly(aside);
  return true;
}

function holderOf(lockPath: string): string {
  try {
    const pid = (JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? ` (held by pid ${String(pid)})` : '';
  } catch {
    return '';
  }
}

interface Attempt {
  readonly retryMs: number;
  readonly deadline: number;
  readonly staleMs: number;
}

function attemptOf(options: FileLockOptions): Attempt {
  return { retryMs: options.retryMs ?? 15, deadline: Date.now() + (options.timeoutMs ?? 3000), staleMs: options.staleMs ?? 15_000 };
}

/**
 * One round of acquiring: create the lock, else break it when stale and create it again.
 * @returns the lock, or undefined to wait `retryMs` and try again
 * @throws GaitError `storage_io` (the lock cannot be created), `storage_contention` (past the deadline)
 */
function attemptOnce(lockPath: string, a: Attempt): Held | undefined {
  for (;;) {
    let held: Held | undefined;
    try {
      held = tryCreate(lockPath);
    } catch (err) {
      throw new GaitError('storage_io', `cannot lock \`${lockPath}\`: ${describeFsError(err)}`, {
        details: { path: lockPath, ...(errnoOf(err) === undefined ? {} : { errno: errnoOf(err) }) },
        cause: err,
      });
    }
    if (held !== undefined) return held;
    if (breakIfStale(lockPath, a.staleMs)) continue;
    if (Date.now() >= a.deadline) {
      throw new GaitError('storage_contention', `cannot lock \`${lockPath}\`: lock is busy${holderOf(lockPath)}`, {
        hint: `retry; if no gait process is running, remove \`${lockPath}\``,
        details: { path: lockPath },
      });
    }
    return undefined;
  }
}

function acquire(lockPath: string, options: FileLockOptions): Held {
  const a = attemptOf(options);
  for (;;) {
    const held = attemptOnce(lockPath, a);
    if (held !== undefined) return held;
    sleepSync(a.retryMs);
  }
}

function release(lockPath: string, held: Held): void {
  try {
    const st = lstatSync(lockPath);
    if (st.ino === held.ino && st.dev === held.dev) unlinkSync(lockPath);
  } catch {
    // gone already (broken as stale): nothing to release
  }
}

/**
 * Runs `fn` while holding the exclusive lock file `lockPath` (its directory must exist).
 * @throws GaitError `storage_contention` when the lock stays busy past the timeout, `storage_io`
 *   when the lock file cannot be created; whatever `fn` throws, after releasing the lock
 */
export function withFileLock<T>(lockPath: string, fn: () => T, options: FileLockOptions = {}): T {
  const held = acquire(lockPath, options);
  try {
    return fn();
  } finally {
    release(lockPath, held);
  }
}

/** A lock held by `acquireFileLock` until `release()`. */
export interface HeldFileLock {
  readonly path: string;
  /**
   * Sets the lock file's mtime to now, so a long hold never looks stale to other processes.
   * @returns false when the lock file is no longer ours (removed, or broken as stale and re-created)
   */
  refresh(): boolean;
  /** Removes the lock file while it is still ours; idempotent. */
  release(): void;
}

/** Same inode and content: a lock re-created by another process on a reused inode is not ours. */
function isOurs(lockPath: string, held: Held): boolean {
  try {
    const st = lstatSync(lockPath);
    return st.ino === held.ino && st.dev === held.dev && readFileSync(lockPath, 'utf8') === held.content;
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function handleOf(lockPath: string, ours: Held): HeldFileLock {
  let released = false;
  return {
    path: lockPath,
    refresh: () => {
      if (released || !isOurs(lockPath, ours)) return false;
      try {
        const now = new Date();
        utimesSync(lockPath, now, now);
        return true;
      } catch {
        return false;
      }
    },
    release: () => {
      if (released) return;
      released = true;
      if (isOurs(lockPath, ours)) removeQuietly(lockPath);
    },
  };
}

/**
 * Acquires the exclusive lock file `lockPath` (its directory must exist) with the protocol of
 * `withFileLock`, waiting between attempts with timers, so the event loop keeps serving.
 * @throws GaitError `storage_contention` when the lock stays busy past the timeout, `storage_io`
 *   when the lock file cannot be created
 */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<HeldFileLock> {
  const a = attemptOf(options);
  let held = attemptOnce(lockPath, a);
  while (held === undefined) {
    await delay(a.retryMs);
    held = attemptOnce(lockPath, a);
  }
  return handleOf(lockPath, held);
}

/**
 * One attempt, without waiting: the lock when it is free (or stale and broken), else undefined.
 * @throws GaitError `storage_io` when the lock file cannot be created
 */
export function tryAcquireFileLock(lockPath: string, options: FileLockOptions = {}): HeldFileLock | undefined {
  // No deadline: a busy lock is reported as undefined, never waited for and never a contention error.
  const a = { ...attemptOf(options), deadline: Number.POSITIVE_INFINITY };
  const held = attemptOnce(lockPath, a);
  return held === undefined ? undefined : handleOf(lockPath, held);
}
