import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileLedger } from '../../../../src/storage/ledger/file-ledger.js';
import { caught, modeOf, modesIgnored, tempRoot } from './helpers.js';
import { ROW_A, ROW_B, ROW_C, runLedgerSuite } from './ledger-suite.js';

const freshDir = tempRoot('file');
const privileged = modesIgnored(freshDir());

runLedgerSuite(
  'openFileLedger()',
  () => {
    const path = join(freshDir(), 'state.db.json');
    return { open: () => openFileLedger(path) };
  },
  { durable: true },
);

const FAST_LOCK = { lock: { timeoutMs: 60, retryMs: 5 } };

describe('openFileLedger(): file format and modes', () => {
  it('creates the directory 0700 and writes the file 0600 as 2-space JSON, rows in list order, lock removed', () => {
    const d = freshDir();
    const path = join(d, '.gait', 'state.db.json');
    const ledger = openFileLedger(path);
    assert.equal(existsSync(join(d, '.gait')), false);
    ledger.consume([ROW_C, ROW_A], () => true);
    assert.equal(modeOf(join(d, '.gait')), 0o700);
    assert.equal(modeOf(path), 0o600);
    assert.deepEqual(readdirSync(join(d, '.gait')), ['state.db.json']);
    assert.equal(
      readFileSync(path, 'utf8'),
      `{
  "schema_id": "gait.state.approval_ledger",
  "schema_version": 1,
  "approval_consumptions": [
    {
      "token_id": "tok-a",
      "intent_digest": "${'aa'.repeat(32)}",
      "policy_digest": "${'pp'.repeat(32)}",
      "trace_id": "trace-1",
      "consumed_at": "2026-02-18T00:00:00Z"
    },
    {
      "token_id": "tok-c",
      "intent_digest": "${'aa'.repeat(32)}",
      "policy_digest": "${'pp'.repeat(32)}",
      "trace_id": "trace-2",
      "consumed_at": "2026-02-18T00:00:01Z"
    }
  ]
}
`,
    );
  });

  it('does not write the file when accept returns false', () => {
    const path = join(freshDir(), 'state.db.json');
    openFileLedger(path).consume([ROW_A], () => false);
    assert.equal(existsSync(path), false);
  });
});

describe('openFileLedger(): faults', () => {
  it('cannot read: the path is a directory', () => {
    const path = join(freshDir(), 'state.db.json');
    mkdirSync(path);
    const err = caught(() => openFileLedger(path).consume([ROW_A], () => true));
    assert.equal(err.code, 'storage_io');
    assert.equal(err.message, `cannot read approval ledger \`${path}\`: is a directory`);
    assert.equal(existsSync(`${path}.lock`), false);
  });

  it('cannot lock: a parent path component is a regular file', () => {
    const d = freshDir();
    writeFileSync(join(d, 'file'), 'x');
    const path = join(d, 'file', 'state.db.json');
    const err = caught(() => openFileLedger(path).consume([ROW_A], () => true));
    assert.equal(err.code, 'storage_io');
    assert.equal(err.message, `cannot lock \`${path}.lock\`: a parent path component is not a directory`);
  });

  it('not a ledger file: other JSON or garbage', () => {
    const cases: [string, string][] = [
      ['garbage', 'not a valid ledger file: Unexpected token'],
      ['{"schema_id":"other","schema_version":1,"approval_consumptions":[]}', 'not a valid ledger file: `schema_id` must be `gait.state.approval_ledger`'],
      ['{"schema_id":"gait.state.approval_ledger","schema_version":2,"approval_consumptions":[]}', 'not a valid ledger file: unsupported `schema_version` `2`'],
      ['{"schema_id":"gait.state.approval_ledger","schema_version":1,"approval_consumptions":[{"token_id":1}]}', 'not a valid ledger file: row 0: `token_id` must be a string'],
    ];
    for (const [text, why] of cases) {
      const path = join(freshDir(), 'state.db.json');
      writeFileSync(path, text);
      const err = caught(() => openFileLedger(path).consume([ROW_A], () => true));
      assert.equal(err.code, 'storage_io');
      assert.ok(err.message.startsWith(`cannot read approval ledger \`${path}\`: ${why}`), err.message);
      assert.equal(readFileSync(path, 'utf8'), text);
      assert.equal(existsSync(`${path}.lock`), false);
    }
  });

  it('cannot write: the old file stays whole and the lock is released', () => {
    const d = freshDir();
    const dir = join(d, 'state');
    const path = join(dir, 'state.db.json');
    const ledger = openFileLedger(path);
    ledger.consume([ROW_A], () => true);
    const before = readFileSync(path, 'utf8');
    // Sabotage between the decision and the write: the directory becomes a regular file.
    const err = caught(() =>
      ledger.consume([ROW_B, ROW_C], () => {
        renameSync(dir, join(d, 'aside'));
        writeFileSync(dir, 'not a directory');
        return true;
      }),
    );
    assert.equal(err.code, 'storage_io');
    assert.match(err.message, new RegExp(`^cannot write \`${path}\`: a parent path component is not a directory$`));
    rmSync(dir);
    renameSync(join(d, 'aside'), dir);
    assert.equal(readFileSync(path, 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['state.db.json', 'state.db.json.lock']);
    assert.deepEqual(ledger.list(), [ROW_A]);
  });

  it('cannot write: a read-only directory', { skip: privileged ? 'file modes do not stop writes for this user (root)' : false }, () => {
    const d = freshDir();
    const path = join(d, 'state.db.json');
    openFileLedger(path).consume([ROW_A], () => true);
    chmodSync(d, 0o500);
    try {
      const err = caught(() => openFileLedger(path).consume([ROW_B], () => true));
      assert.equal(err.code, 'storage_io');
      assert.equal(err.message, `cannot lock \`${path}.lock\`: permission denied`);
    } finally {
      chmodSync(d, 0o700);
    }
    assert.deepEqual(openFileLedger(path).list(), [ROW_A]);
  });

  it('a busy lock: storage_contention after the timeout, accept not asked, file untouched', () => {
    const path = join(freshDir(), 'state.db.json');
    writeFileSync(`${path}.lock`, '{"pid":424242,"created_at":"2026-02-18T00:00:00.000Z"}\n');
    let asked = false;
    const err = caught(() =>
      openFileLedger(path, FAST_LOCK).consume([ROW_A], () => {
        asked = true;
        return true;
      }),
    );
    assert.equal(asked, false);
    assert.equal(err.code, 'storage_contention');
    assert.equal(err.retryable, true);
    assert.equal(err.message, `cannot lock \`${path}.lock\`: lock is busy (held by pid 424242)`);
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(`${path}.lock`), true);
  });

  it('a stale lock (older than 15 s) is removed and the consumption proceeds', () => {
    const path = join(freshDir(), 'state.db.json');
    writeFileSync(`${path}.lock`, '{"pid":424242}\n');
    const old = (Date.now() - 16_000) / 1000;
    utimesSync(`${path}.lock`, old, old);
    assert.deepEqual(openFileLedger(path, FAST_LOCK).consume([ROW_A], () => true), { replayed: [], inserted: true });
    assert.equal(existsSync(`${path}.lock`), false);
    assert.deepEqual(openFileLedger(path).list(), [ROW_A]);
  });

  it('releases the lock when accept throws', () => {
    const path = join(freshDir(), 'state.db.json');
    assert.throws(() =>
      openFileLedger(path).consume([ROW_A], () => {
        throw new Error('boom');
      }),
    );
    assert.equal(existsSync(`${path}.lock`), false);
  });
});
