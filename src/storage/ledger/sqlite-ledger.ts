/**
 * The default approval ledger (gate.md §A9.7, D4): a SQLite database, `.gait/state.db` by default,
 * through the optional native `better-sqlite3` module.
 *
 * - Tables: `approval_consumptions` (one row per consumed token, `token_id` primary key) and
 *   `schema_meta (component, version)`, where this ledger owns the `approval_ledger` row (version 1)
 *   so other gait state can share the file with its own row.
 * - `consume` is ONE `BEGIN IMMEDIATE` transaction: the write lock is taken before the replay check,
 *   so concurrent processes serialize on it (waiting up to the busy timeout, 5 s by default), and any
 *   failure rolls the whole transaction back. WAL journal, `synchronous = FULL`: a consumption that
 *   was reported inserted survives a crash.
 * - The database is opened on first use, so constructing a ledger does no I/O; open failures
 *   surface from `consume`/`list` as the port contract says. The parent directory is created 0700,
 *   the database file 0600 (SQLite gives its -wal/-shm files the same mode).
 */
import { closeSync, fchmodSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApprovalLedger, ConsumeOutcome, ConsumptionRow } from '../../artifacts/approval/types.js';
import { GaitError } from '../../errors/index.js';
import { ensureDir } from '../atomic-write.js';
import { decideConsumption, planConsumption, sortRows } from './ledger-rows.js';
import { loadSqliteDriver } from './sqlite-driver.js';
import type { SqliteDatabase, SqliteDriver } from './sqlite-driver.js';
import { retryBusy, toError } from './sqlite-errors.js';

export const LEDGER_COMPONENT = 'approval_ledger';
export const LEDGER_SCHEMA_VERSION = 1;
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface SqliteLedgerOptions {
  /** How long a write waits for another process's lock before `storage_contention` (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** The `better-sqlite3` module; loaded lazily when absent. */
  readonly driver?: SqliteDriver;
}

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS schema_meta (
  component TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS approval_consumptions (
  token_id TEXT PRIMARY KEY,
  intent_digest TEXT NOT NULL,
  policy_digest TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  consumed_at TEXT NOT NULL
);`;

const SELECT_ALL = 'SELECT token_id, intent_digest, policy_digest, trace_id, consumed_at FROM approval_consumptions';

interface DbRow {
  readonly token_id: string;
  readonly intent_digest: string;
  readonly policy_digest: string;
  readonly trace_id: string;
  readonly consumed_at: string;
}

/** Creates the database file 0600 when it does not exist yet (SQLite would use 0644 minus umask). */
function createFileIfMissing(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function prepareSchema(db: SqliteDatabase, path: string): void {
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const tables = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('schema_meta', 'approval_consumptions')")
    .get() as { n: number };
  if (tables.n !== 2) {
    db.transaction(() => {
      db.exec(SCHEMA_SQL);
      db.prepare('INSERT OR IGNORE INTO schema_meta (component, version) VALUES (?, ?)').run(LEDGER_COMPONENT, LEDGER_SCHEMA_VERSION);
    }).immediate();
  }
  const meta = db.prepare('SELECT version FROM schema_meta WHERE component = ?').get(LEDGER_COMPONENT) as { version: number } | undefined;
  if (meta?.version !== LEDGER_SCHEMA_VERSION) {
    throw new GaitError('storage_io', `cannot open approval ledger \`${path}\`: unsupported schema version \`${String(meta?.version ?? 'none')}\``, {
      hint: 'the state file was written by another gait version; use a matching gait or a fresh --state file',
      details: { path, version: meta?.version ?? null },
    });
  }
}

function openDatabase(driver: SqliteDriver, path: string, busyTimeoutMs: number): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    ensureDir(dirname(path), 0o700);
    createFileIfMissing(path);
    db = new driver(path, { timeout: busyTimeoutMs });
    const opened = db;
    retryBusy(() => prepareSchema(opened, path), busyTimeoutMs);
    return db;
  } catch (err) {
    db?.close();
    throw toError(path, 'open', err);
  }
}

function fromDb(r: DbRow): ConsumptionRow {
  return { tokenId: r.token_id, intentDigest: r.intent_digest, policyDigest: r.policy_digest, traceId: r.trace_id, consumedAt: r.consumed_at };
}

/**
 * Opens (lazily) the SQLite approval ledger at `path`.
 * @throws GaitError `dependency_missing` when `better-sqlite3` cannot be loaded (at once, no I/O);
 *   `consume`/`list` throw `storage_io` (cannot open, not a database, cannot write) or
 *   `storage_contention` (locked past the busy timeout), naming the path, with the cause attached
 * @example const ledger = openSqliteLedger('.gait/state.db'); try { ledger.consume(rows, accept) } finally { ledger.close() }
 */
export function openSqliteLedger(path: string, options: SqliteLedgerOptions = {}): ApprovalLedger & { close(): void } {
  const driver = options.driver ?? loadSqliteDriver();
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: SqliteDatabase | undefined;
  let closed = false;

  const database = (): SqliteDatabase => {
    if (closed) throw new GaitError('storage_io', `cannot use approval ledger \`${path}\`: ledger is closed`, { details: { path } });
    db ??= openDatabase(driver, path, busyTimeoutMs);
    return db;
  };

  const consumeIn = (d: SqliteDatabase, rows: readonly ConsumptionRow[], accept: (r: ReadonlySet<string>) => boolean): ConsumeOutcome => {
    const exists = d.prepare('SELECT 1 FROM approval_consumptions WHERE token_id = ?');
    const insert = d.prepare(
      'INSERT INTO approval_consumptions (token_id, intent_digest, policy_digest, trace_id, consumed_at) VALUES (?, ?, ?, ?, ?)',
    );
    const run = d.transaction((): ConsumeOutcome => {
      const plan = planConsumption(rows, (id) => exists.get(id) !== undefined);
      return decideConsumption(plan, accept, (fresh) => {
        for (const r of fresh) insert.run(r.tokenId, r.intentDigest, r.policyDigest, r.traceId, r.consumedAt);
      });
    });
    return run.immediate();
  };

  return {
    consume(rows, accept) {
      const d = database();
      try {
        return consumeIn(d, rows, accept);
      } catch (err) {
        // Errors thrown by `accept` itself are the caller's; pass them through unchanged.
        if (err instanceof driver.SqliteError) throw toError(path, 'write', err);
        throw err;
      }
    },
    list() {
      const d = database();
      try {
        return sortRows((d.prepare(SELECT_ALL).all() as DbRow[]).map(fromDb));
      } catch (err) {
        throw toError(path, 'read', err);
      }
    },
    close() {
      closed = true;
      db?.close();
      db = undefined;
    },
  };
}
