/**
 * A cross-process exclusive lock file, synchronous (the gate pipeline is synchronous).
 *
 * Acquire: `open(lock, O_CREAT | O_EXCL)` with `{"pid":…,"created_at":…}` as content, retried every
 * 15 ms for up to 3 s. A lock whose mtime is older than 15 s is stale (its holder died): it is renamed
 * aside, and removed only if the renamed file is the very lock judged stale (same inode); a fresh lock
 * that replaced it in between is linked back. Release removes the lock only while it is still ours.
 * Residual risk: a holder that stalls longer than the stale age loses its lock to another process.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
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
    writeSync(fd, `${JSON.stringify({ pid: process.pid, created_at: new Date().toISOString() })}\n`);
    return { dev: st.dev, ino: st.ino };
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
  } catch {
    return true; // someone else broke it first
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

function acquire(lockPath: string, options: FileLockOptions): Held {
  const retryMs = options.retryMs ?? 15;
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  const staleMs = options.staleMs ?? 15_000;
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
    if (breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() >= deadline) {
      throw new GaitError('storage_contention', `cannot lock \`${lockPath}\`: lock is busy${holderOf(lockPath)}`, {
        hint: `retry; if no gait process is running, remove \`${lockPath}\``,
        details: { path: lockPath },
      });
    }
    sleepSync(retryMs);
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
