/**
 * Lazy, synchronous loading of the optional native `better-sqlite3` module (DEPENDENCIES.md). The
 * gate pipeline is synchronous, so this uses `createRequire` rather than `import()`; nothing loads
 * until a SQLite ledger is opened, so the library entry and `gait --help` never pay for it.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { GaitError } from '../../errors/index.js';

export type SqliteDriver = typeof BetterSqlite3;
export type SqliteDatabase = BetterSqlite3.Database;

export const SQLITE_MODULE = 'better-sqlite3';

let cached: SqliteDriver | undefined;

function describeLoadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') return 'module is not installed';
  const message = String((err as Error | undefined)?.message ?? err).split('\n')[0] ?? '';
  return `native module failed to load: ${message}`;
}

/**
 * Loads `better-sqlite3` once and caches it. Loading also opens an in-memory database, because a
 * missing or mismatched native binary (`bindings` errors, NODE_MODULE_VERSION) only shows then.
 * @param moduleId override for tests; only the default is cached
 * @throws GaitError `dependency_missing` when the module or its native binary is unavailable
 */
export function loadSqliteDriver(moduleId: string = SQLITE_MODULE): SqliteDriver {
  if (moduleId === SQLITE_MODULE && cached !== undefined) return cached;
  let driver: SqliteDriver;
  try {
    driver = createRequire(import.meta.url)(moduleId) as SqliteDriver;
    new driver(':memory:').close();
  } catch (err) {
    throw new GaitError('internal_dependency_missing', `cannot load \`${moduleId}\`: ${describeLoadError(err)}`, {
      hint: `install the optional dependency (\`npm install ${SQLITE_MODULE}\`; it builds from source with python3, make and g++ when no prebuilt binary downloads), or let gait use its JSON-file state store`,
      details: { module: moduleId },
      cause: err,
    });
  }
  if (moduleId === SQLITE_MODULE) cached = driver;
  return driver;
}
