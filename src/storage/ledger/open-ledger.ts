/**
 * Opens the durable approval ledger for a state path (gate.md §A9.7, D4), `.gait/state.db` by default.
 *
 * - `better-sqlite3` loads: the SQLite ledger at `path` (`sqlite-ledger.ts`).
 * - it does not (`dependency_missing`: not installed, or its native build failed, which an optional
 *   dependency does silently): the JSON-file ledger at `<path>.json`, e.g. `.gait/state.db.json`, with
 *   the lock file `<path>.json.lock` beside it (`file-ledger.ts`). A separate file, so that the JSON
 *   text never lands where SQLite expects a database, and the other way round.
 *
 * The two stores must never both be live for one state path, or a token consumed in one could be
 * replayed through the other:
 * - the fallback refuses to run (`storage_io`, caused by the `dependency_missing` load error) while a
 *   SQLite database exists at `path`: its consumptions would be invisible, so the gate fails closed
 *   until the module is repaired;
 * - the SQLite ledger, on first use, copies the rows of an existing `<path>.json` into the database
 *   (same transaction semantics; rows already present are kept), so tokens consumed while the
 *   fallback was in use stay consumed after the module is installed.
 */
import { existsSync } from 'node:fs';
import type { ApprovalLedger } from '../../artifacts/approval/types.js';
import { GaitError, isGaitError } from '../../errors/index.js';
import { openFileLedger } from './file-ledger.js';
import type { FileLedgerOptions } from './file-ledger.js';
import { loadSqliteDriver } from './sqlite-driver.js';
import type { SqliteDriver } from './sqlite-driver.js';
import { openSqliteLedger } from './sqlite-ledger.js';

export type LedgerBackend = 'sqlite' | 'file';

export type OpenedLedger = ApprovalLedger & { close(): void; readonly backend: LedgerBackend; readonly path: string };

export interface OpenLedgerOptions {
  /** SQLite busy timeout (default 5000 ms) */
  readonly busyTimeoutMs?: number;
  /** JSON-file fallback options */
  readonly file?: FileLedgerOptions;
  /** replaces the `better-sqlite3` loader (tests) */
  readonly loadDriver?: () => SqliteDriver;
}

/** `<path>.json`: where the JSON-file fallback keeps the ledger for the state path `path`. */
export function fallbackLedgerPath(path: string): string {
  return `${path}.json`;
}

function sqliteWithImport(path: string, driver: SqliteDriver, options: OpenLedgerOptions): OpenedLedger {
  const sqlite = openSqliteLedger(path, { driver, ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }) });
  const jsonPath = fallbackLedgerPath(path);
  let imported = false;
  const importFallback = (): void => {
    if (imported) return;
    if (existsSync(jsonPath)) {
      const rows = openFileLedger(jsonPath).list();
      if (rows.length > 0) sqlite.consume(rows, () => true);
    }
    imported = true;
  };
  return {
    backend: 'sqlite',
    path,
    consume(rows, accept) {
      importFallback();
      return sqlite.consume(rows, accept);
    },
    list() {
      importFallback();
      return sqlite.list();
    },
    close() {
      sqlite.close();
    },
  };
}

function guardedFallback(path: string, loadError: GaitError, options: OpenLedgerOptions): OpenedLedger {
  const jsonPath = fallbackLedgerPath(path);
  const file = openFileLedger(jsonPath, options.file ?? {});
  const assertNoDatabase = (): void => {
    if (!existsSync(path)) return;
    // storage_io, not dependency_missing: the port promises `storage_*`, which the gate turns into
    // `approval_ledger_unavailable` (exit 4); the missing module is the attached cause.
    throw new GaitError('storage_io', `cannot use approval ledger \`${path}\`: it is a SQLite database and ${loadError.message}`, {
      hint: 'repair the optional dependency (`npm rebuild better-sqlite3`, or reinstall it); until then approvals cannot be recorded',
      details: { path, fallback: jsonPath },
      cause: loadError,
    });
  };
  return {
    backend: 'file',
    path: jsonPath,
    consume(rows, accept) {
      assertNoDatabase();
      return file.consume(rows, accept);
    },
    list() {
      assertNoDatabase();
      return file.list();
    },
    close() {
      file.close();
    },
  };
}

/**
 * Opens the approval ledger for the state path `path`: SQLite when available, else the JSON file
 * `<path>.json`. Does no I/O; errors surface from `consume`/`list` as GaitError `storage_io`,
 * `storage_contention` (never `dependency_missing`: a missing module means the fallback).
 * @example openApprovalLedger('.gait/state.db').backend // 'sqlite' when better-sqlite3 is installed
 */
export function openApprovalLedger(path: string, options: OpenLedgerOptions = {}): OpenedLedger {
  let driver: SqliteDriver;
  try {
    driver = (options.loadDriver ?? loadSqliteDriver)();
  } catch (err) {
    if (isGaitError(err, 'internal_dependency_missing')) return guardedFallback(path, err, options);
    throw err;
  }
  return sqliteWithImport(path, driver, options);
}
