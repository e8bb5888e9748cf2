import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, openSync, closeSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openSqliteLedger } from '../../../../src/storage/ledger/sqlite-ledger.js';
import { caught, modeOf, modesIgnored, tempRoot } from './helpers.js';
import { ROW_A, ROW_B, ROW_C, runLedgerSuite } from './ledger-suite.js';

const freshDir = tempRoot('sqlite');
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const privileged = modesIgnored(freshDir());

runLedgerSuite(
  'openSqliteLedger()',
  () => {
    const path = join(freshDir(), 'state.db');
    return { open: () => openSqliteLedger(path) };
  },
  { durable: true },
);

/** A direct connection to inspect or sabotage the database behind the ledger. */
function raw(path: string): BetterSqlite3.Database {
  return new Database(path);
}

describe('openSqliteLedger(): schema and files', () => {
  it('does no I/O until first use, then creates the directory 0700, the file 0600, WAL mode and the tables', () => {
    const d = freshDir();
    const path = join(d, '.gait', 'state.db');
    const ledger = openSqliteLedger(path);
    assert.equal(existsSync(join(d, '.gait')), false);
    ledger.consume([ROW_A], () => true);
    assert.equal(modeOf(join(d, '.gait')), 0o700);
    assert.equal(modeOf(path), 0o600);
    const db = raw(path);
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(modeOf(`${path}-wal`), 0o600);
      assert.deepEqual(
        (db.pragma('table_info(approval_consumptions)') as { name: string; type: string; notnull: number; pk: number }[]).map(
          (c) => `${c.name} ${c.type} notnull=${String(c.notnull)} pk=${String(c.pk)}`,
        ),
        [
          'token_id TEXT notnull=0 pk=1',
          'intent_digest TEXT notnull=1 pk=0',
          'policy_digest TEXT notnull=1 pk=0',
          'trace_id TEXT notnull=1 pk=0',
          'consumed_at TEXT notnull=1 pk=0',
        ],
      );
      assert.deepEqual(db.prepare('SELECT component, version FROM schema_meta').all(), [{ component: 'approval_ledger', version: 1 }]);
      assert.deepEqual(db.prepare('SELECT * FROM approval_consumptions').all(), [
        { token_id: 'tok-a', intent_digest: 'aa'.repeat(32), policy_digest: 'pp'.repeat(32), trace_id: 'trace-1', consumed_at: '2026-02-18T00:00:00Z' },
      ]);
    } finally {
      db.close();
      ledger.close();
    }
  });

  it('refuses a database with another schema version', () => {
    const path = join(freshDir(), 'state.db');
    openSqliteLedger(path).list();
    const db = raw(path);
    db.prepare('UPDATE schema_meta SET version = 2').run();
    db.close();
    const err = caught(() => openSqliteLedger(path).list());
    assert.equal(err.code, 'storage_io');
    assert.equal(err.message, `cannot open approval ledger \`${path}\`: unsupported schema version \`2\``);
  });

  it('refuses use after close', () => {
    const path = join(freshDir(), 'state.db');
    const ledger = openSqliteLedger(path);
    ledger.list();
    ledger.close();
    assert.equal(caught(() => ledger.list()).message, `cannot use approval ledger \`${path}\`: ledger is closed`);
  });
});

describe('openSqliteLedger(): faults', () => {
  it('cannot open: the path is a directory', () => {
    const path = join(freshDir(), 'state.db');
    mkdirSync(path);
    const err = caught(() => openSqliteLedger(path).consume([ROW_A], () => true));
    assert.equal(err.code, 'storage_io');
    assert.equal(err.category, 'io_failure');
    assert.equal(err.message, `cannot open approval ledger \`${path}\`: unable to open database file`);
    assert.deepEqual(err.details, { path, sqlite_code: 'SQLITE_CANTOPEN' });
    assert.equal((err.cause as { code?: string }).code, 'SQLITE_CANTOPEN');
  });

  it('cannot open: a parent path component is a regular file', () => {
    const d = freshDir();
    writeFileSync(join(d, 'file'), 'x');
    const path = join(d, 'file', 'state.db');
    const err = caught(() => openSqliteLedger(path).list());
    assert.equal(err.code, 'storage_io');
    assert.equal(err.message, `cannot open approval ledger \`${path}\`: a parent path component is not a directory`);
    assert.deepEqual(err.details, { path, errno: 'ENOTDIR' });
  });

  it('not a database: a file with other contents', () => {
    const path = join(freshDir(), 'state.db');
    writeFileSync(path, `${'{"not": "sqlite"}'.padEnd(200, ' ')}\n`);
    const err = caught(() => openSqliteLedger(path).consume([ROW_A], () => true));
    assert.equal(err.code, 'storage_io');
    assert.equal(err.message, `cannot open approval ledger \`${path}\`: file is not a database`);
    assert.deepEqual(err.details, { path, sqlite_code: 'SQLITE_NOTADB' });
  });

  it('corrupt file: a damaged page is reported, not trusted', () => {
    const path = join(freshDir(), 'state.db');
    const seed = openSqliteLedger(path);
    seed.consume([ROW_A, ROW_B, ROW_C], () => true);
    seed.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, 4096); // page 2 onwards: garbage
    closeSync(fd);
    const err = caught(() => openSqliteLedger(path).list());
    assert.equal(err.code, 'storage_io');
    assert.match(err.message, /^cannot (open|read) approval ledger `.*`: database disk image is malformed$/);
    assert.equal((err.details['sqlite_code'] as string).startsWith('SQLITE_CORRUPT'), true);
  });

  it('cannot write: a failing insert rolls the whole transaction back (no half-written rows)', () => {
    const path = join(freshDir(), 'state.db');
    const ledger = openSqliteLedger(path);
    ledger.consume([ROW_A], () => true);
    const db = raw(path);
    db.exec("CREATE TRIGGER fail_c BEFORE INSERT ON approval_consumptions WHEN NEW.token_id = 'tok-c' BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END");
    db.close();
    let accepted = 0;
    const err = caught(() => ledger.consume([ROW_B, ROW_C], () => (accepted += 1) > 0));
    assert.equal(accepted, 1);
    assert.equal(err.code, 'storage_io');
    assert.equal(err.message, `cannot write approval ledger \`${path}\`: simulated write failure`);
    assert.deepEqual(err.details, { path, sqlite_code: 'SQLITE_CONSTRAINT_TRIGGER' });
    assert.deepEqual(ledger.list(), [ROW_A]);
    ledger.close();
    assert.deepEqual(openSqliteLedger(path).list(), [ROW_A]);
  });

  it('cannot write: a read-only database file', { skip: privileged ? 'file modes do not stop writes for this user (root)' : false }, () => {
    const path = join(freshDir(), 'state.db');
    const seed = openSqliteLedger(path);
    seed.consume([ROW_A], () => true);
    seed.close();
    chmodSync(path, 0o400);
    const err = caught(() => openSqliteLedger(path).consume([ROW_B], () => true));
    assert.equal(err.code, 'storage_io');
    assert.match(err.message, /readonly database|unable to open database file/);
    chmodSync(path, 0o600);
    assert.deepEqual(openSqliteLedger(path).list(), [ROW_A]);
  });

  it('cannot open: a read-only directory', { skip: privileged ? 'file modes do not stop writes for this user (root)' : false }, () => {
    const d = freshDir();
    chmodSync(d, 0o500);
    try {
      const err = caught(() => openSqliteLedger(join(d, 'state.db')).list());
      assert.equal(err.code, 'storage_io');
      assert.equal(err.message, `cannot open approval ledger \`${join(d, 'state.db')}\`: permission denied`);
    } finally {
      chmodSync(d, 0o700);
    }
  });

  it('locked past the busy timeout: storage_contention, nothing inserted, works again once released', () => {
    const path = join(freshDir(), 'state.db');
    const ledger = openSqliteLedger(path, { busyTimeoutMs: 50 });
    ledger.consume([ROW_A], () => true);
    const holder = raw(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      let asked = false;
      const err = caught(() =>
        ledger.consume([ROW_B], () => {
          asked = true;
          return true;
        }),
      );
      assert.equal(asked, false);
      assert.equal(err.code, 'storage_contention');
      assert.equal(err.category, 'state_contention');
      assert.equal(err.retryable, true);
      assert.equal(err.message, `cannot write approval ledger \`${path}\`: database is locked`);
      assert.deepEqual(err.details, { path, sqlite_code: 'SQLITE_BUSY' });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.deepEqual(ledger.consume([ROW_B], () => true), { replayed: [], inserted: true });
    assert.deepEqual(ledger.list(), [ROW_A, ROW_B]);
    ledger.close();
  });
});
