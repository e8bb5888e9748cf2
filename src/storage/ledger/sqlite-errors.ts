/**
 * SQLite failures of the approval ledger as GaitErrors: busy or locked past the timeout is
 * `storage_contention` (retryable), anything else (cannot open, read-only, full, not a database,
 * corrupt, file-system errors) is `storage_io`; the message names the path, the cause is attached.
 */
import { GaitError, isGaitError } from '../../errors/index.js';
import { describeFsError } from '../read-input.js';
import { sleepSync } from './sleep-sync.js';

export type Stage = 'open' | 'read' | 'write';

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isBusy(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function toError(path: string, stage: Stage, err: unknown): GaitError {
  if (isGaitError(err)) return err;
  const code = codeOf(err);
  const busy = isBusy(err);
  const sqlite = code?.startsWith('SQLITE_') === true;
  const reason = sqlite ? String((err as Error).message) : describeFsError(err);
  return new GaitError(busy ? 'storage_contention' : 'storage_io', `cannot ${stage} approval ledger \`${path}\`: ${reason}`, {
    details: { path, ...(code === undefined ? {} : sqlite ? { sqlite_code: code } : { errno: code }) },
    cause: err,
  });
}

/**
 * Runs `fn` again while SQLite reports busy, until `timeoutMs` has passed. Needed while several
 * processes set up a new database at once: switching to WAL and recovering the WAL index can
 * return SQLITE_BUSY without waiting on the busy handler. `fn` must be idempotent.
 */
export function retryBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      sleepSync(5 + Math.floor(Math.random() * 20));
    }
  }
}
