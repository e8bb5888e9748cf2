/** The approval single-use ledger implementations (gate.md §A9.7, D4). See `open-ledger.ts` for the choice of store. */
export { openApprovalLedger, fallbackLedgerPath } from './open-ledger.js';
export type { LedgerBackend, OpenedLedger, OpenLedgerOptions } from './open-ledger.js';
export { openSqliteLedger, DEFAULT_BUSY_TIMEOUT_MS, LEDGER_COMPONENT, LEDGER_SCHEMA_VERSION } from './sqlite-ledger.js';
export type { SqliteLedgerOptions } from './sqlite-ledger.js';
export { openFileLedger, FILE_LEDGER_SCHEMA_ID, FILE_LEDGER_SCHEMA_VERSION } from './file-ledger.js';
export type { FileLedgerOptions } from './file-ledger.js';
export type { FileLockOptions } from './file-lock.js';
export { createMemoryLedger } from './memory-ledger.js';
export { loadSqliteDriver } from './sqlite-driver.js';
