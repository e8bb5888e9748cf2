import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GaitError } from '../../../../src/errors/error.js';
import { fallbackLedgerPath, openApprovalLedger } from '../../../../src/storage/ledger/open-ledger.js';
import { caught, tempRoot } from './helpers.js';
import { ROW_A, ROW_B, runLedgerSuite } from './ledger-suite.js';

const freshDir = tempRoot('open');
const missing = new GaitError('internal_dependency_missing', 'cannot load `better-sqlite3`: module is not installed');
const noSqlite = {
  loadDriver: () => {
    throw missing;
  },
};

runLedgerSuite(
  'openApprovalLedger() without better-sqlite3',
  () => {
    const path = join(freshDir(), 'state.db');
    return { open: () => openApprovalLedger(path, noSqlite) };
  },
  { durable: true },
);

describe('openApprovalLedger()', () => {
  it('uses SQLite at the state path when better-sqlite3 loads', () => {
    const path = join(freshDir(), '.gait', 'state.db');
    const ledger = openApprovalLedger(path);
    assert.equal(ledger.backend, 'sqlite');
    assert.equal(ledger.path, path);
    ledger.consume([ROW_A], () => true);
    ledger.close();
    assert.equal(existsSync(path), true);
    assert.equal(existsSync(fallbackLedgerPath(path)), false);
  });

  it('falls back to the JSON file `<path>.json` when better-sqlite3 is missing', () => {
    const path = join(freshDir(), '.gait', 'state.db');
    assert.equal(fallbackLedgerPath(path), `${path}.json`);
    const ledger = openApprovalLedger(path, noSqlite);
    assert.equal(ledger.backend, 'file');
    assert.equal(ledger.path, `${path}.json`);
    assert.deepEqual(ledger.consume([ROW_A], () => true), { replayed: [], inserted: true });
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(`${path}.json`), true);
  });

  it('fails closed when falling back next to an existing SQLite database', () => {
    const path = join(freshDir(), 'state.db');
    openApprovalLedger(path).consume([ROW_A], () => true);
    const ledger = openApprovalLedger(path, noSqlite);
    const err = caught(() => ledger.consume([ROW_A], () => true));
    assert.equal(err.code, 'storage_io');
    assert.equal(
      err.message,
      `cannot use approval ledger \`${path}\`: it is a SQLite database and cannot load \`better-sqlite3\`: module is not installed`,
    );
    assert.equal(err.cause, missing);
    assert.equal(caught(() => ledger.list()).code, 'storage_io');
    assert.equal(existsSync(`${path}.json`), false);
  });

  it('carries rows consumed by the fallback into SQLite, so they stay consumed', () => {
    const path = join(freshDir(), 'state.db');
    openApprovalLedger(path, noSqlite).consume([ROW_A], () => true);
    const ledger = openApprovalLedger(path);
    assert.equal(ledger.backend, 'sqlite');
    assert.deepEqual(ledger.consume([ROW_A, ROW_B], () => true), { replayed: ['tok-a'], inserted: true });
    assert.deepEqual(ledger.list(), [ROW_A, ROW_B]);
    ledger.close();
  });

  it('fails closed when the fallback file next to the database is unreadable', () => {
    const path = join(freshDir(), 'state.db');
    writeFileSync(`${path}.json`, 'garbage');
    const err = caught(() => openApprovalLedger(path).consume([ROW_A], () => true));
    assert.equal(err.code, 'storage_io');
    assert.ok(err.message.startsWith(`cannot read approval ledger \`${path}.json\`: not a valid ledger file`), err.message);
  });

  it('passes through a loader error other than dependency_missing', () => {
    const boom = new Error('boom');
    assert.throws(
      () =>
        openApprovalLedger('x', {
          loadDriver: () => {
            throw boom;
          },
        }),
      (e) => e === boom,
    );
  });
});
