/** Trust snapshot decoding (mcp-and-export.md §3.2) and loading from files. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../../../src/errors/error.js';
import { formatTimestamp } from '../../../../src/runtime/timestamp.js';
import { parseTrustSnapshot, trustServerKey } from '../../../../src/schema/v1/mcp-trust-snapshot.js';
import { loadTrustSnapshotFile } from '../../../../src/storage/trust-snapshot.js';

function refusal(raw: unknown): string {
  try {
    parseTrustSnapshot(raw);
  } catch (err) {
    assert.ok(err instanceof GaitError);
    assert.equal(err.code, 'artifact_invalid');
    return err.message;
  }
  assert.fail('expected a refusal');
}

describe('parseTrustSnapshot()', () => {
  it('defaults empty schema id and version, normalizes and keys entries', () => {
    const s = parseTrustSnapshot({
      created_at: '2026-02-01T00:00:00Z',
      producer_version: ' 0.0.0-dev ',
      Entries: [{ SERVER_ID: ' FS ', publisher: ' Acme ', source: 'NPM', status: ' TRUSTED ', updated_at: '2026-02-01T01:00:00+01:00', score: 0.5, evidence_path: ' e.json ' }],
    });
    assert.equal(s.producerVersion, '0.0.0-dev');
    assert.deepEqual([...s.entries.keys()], ['fs']);
    const e = s.entries.get('fs');
    assert.ok(e !== undefined);
    assert.deepEqual(
      { ...e, updatedAt: e.updatedAt === undefined ? '' : formatTimestamp(e.updatedAt) },
      {
        key: 'fs',
        serverId: 'FS',
        serverName: '',
        publisher: 'acme',
        source: 'npm',
        endpoint: '',
        status: 'trusted',
        updatedAt: '2026-02-01T01:00:00+01:00',
        score: 0.5,
        evidencePath: 'e.json',
        registryVerification: undefined,
      },
    );
  });

  it('refuses another schema id or version, an entry without a key, a duplicate key, wrong types', () => {
    assert.equal(refusal({ schema_id: 'gait.other' }), 'unsupported trust snapshot schema_id "gait.other"');
    assert.equal(refusal({ schema_version: '2.0.0' }), 'unsupported trust snapshot schema_version "2.0.0"');
    assert.equal(refusal({ entries: [{ server_id: 'a' }, { status: 'trusted' }] }), 'trust snapshot entries[1] requires server_id or server_name');
    assert.equal(
      refusal({ entries: [{ server_id: 'A' }, { server_name: 'b' }, { server_id: 'a' }] }),
      'trust snapshot contains duplicate server identity "a" at entries[0] and entries[2]',
    );
    assert.equal(refusal({ entries: [{ server_id: 'a', score: '1' }] }), 'entries[0].score must be a number');
    assert.equal(refusal({ entries: [{ server_id: 'a', updated_at: '' }] }), 'entries[0].updated_at must be an RFC 3339 timestamp, got ``');
    assert.equal(refusal([]), 'trust snapshot must be a JSON object');
  });

  it('trustServerKey() prefers the id over the name', () => {
    assert.equal(trustServerKey(' Git ', 'Other'), 'git');
    assert.equal(trustServerKey(' ', ' Other '), 'other');
    assert.equal(trustServerKey('', ''), '');
  });
});

describe('loadTrustSnapshotFile()', () => {
  const root = mkdtempSync(join(tmpdir(), 'gait-trust-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a missing file or a directory is unavailable', () => {
    assert.equal(loadTrustSnapshotFile('missing.json', { cwd: root }).state.status, 'unavailable');
    mkdirSync(join(root, 'dir.json'));
    const dir = loadTrustSnapshotFile('dir.json', { cwd: root });
    assert.equal(dir.state.status, 'unavailable');
    assert.equal(dir.fileDigest, '');
  });

  it('unparsable, empty or invalid content is invalid, with the reason', () => {
    writeFileSync(join(root, 'bad.json'), '{not json');
    const bad = loadTrustSnapshotFile('bad.json', { cwd: root });
    assert.equal(bad.state.status, 'invalid');
    assert.match(bad.state.status === 'invalid' ? bad.state.error : '', /^cannot parse trust snapshot `bad\.json`: line 1, column 2/);
    writeFileSync(join(root, 'empty.json'), '');
    assert.equal(loadTrustSnapshotFile('empty.json', { cwd: root }).state.status, 'invalid');
    writeFileSync(join(root, 'dup.json'), '{"entries":[{"server_id":"a"},{"server_id":"A"}]}');
    assert.equal(loadTrustSnapshotFile('dup.json', { cwd: root }).state.status, 'invalid');
  });

  it('a good file loads, with the digest of its text', () => {
    writeFileSync(join(root, 'ok.json'), '{"entries":[{"server_id":"fs"}]}');
    const ok = loadTrustSnapshotFile(join(root, 'ok.json'));
    assert.equal(ok.state.status, 'loaded');
    assert.equal(ok.fileDigest, 'a3bf3f3cb52a366f0255310283dc5d51f89221c78849b41255571832f3b1cb4b');
  });
});
