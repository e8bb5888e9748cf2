// Several processes race to consume one token against one store: exactly one may win (D4).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileLedger } from '../../../../src/storage/ledger/file-ledger.js';
import { openSqliteLedger } from '../../../../src/storage/ledger/sqlite-ledger.js';
import { tempRoot } from './helpers.js';

const N = 8;
const freshDir = tempRoot('race');
const script = fileURLToPath(new URL('fixtures/consume-once.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

interface Result {
  readonly traceId: string;
  readonly replayed?: string[];
  readonly insertedOwnRow?: boolean;
  readonly error?: string;
}

/** Starts N contenders, releases them together once all are ready, and collects their results. */
async function race(backend: 'sqlite' | 'file', path: string, dir: string): Promise<Result[]> {
  const goFile = join(dir, 'go');
  let ready = 0;
  let released = false;
  const runs = Array.from({ length: N }, (_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, backend, path, goFile, `trace-${String(i)}`], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      const before = out.includes('ready\n');
      out += b.toString();
      if (!before && out.includes('ready\n')) {
        ready += 1;
        if (ready === N && !released) {
          released = true;
          writeFileSync(goFile, '');
        }
      }
    });
    return new Promise<Result>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        const last = out.trim().split('\n').at(-1) ?? '';
        if (!last.startsWith('{')) reject(new Error(`contender ${String(i)} exited ${String(code)}: ${err}`));
        else resolve(JSON.parse(last) as Result);
      });
    });
  });
  return Promise.all(runs);
}

function assertOneWinner(results: Result[], listed: { traceId: string; tokenId: string }[]): void {
  assert.deepEqual(
    results.filter((r) => r.error !== undefined),
    [],
  );
  const winners = results.filter((r) => r.insertedOwnRow === true);
  assert.equal(winners.length, 1);
  const losers = results.filter((r) => r.insertedOwnRow === false);
  assert.equal(losers.length, N - 1);
  for (const l of losers) assert.deepEqual(l.replayed, ['tok-race']);
  assert.deepEqual(winners[0]?.replayed, []);
  assert.deepEqual(
    listed.map((r) => `${r.tokenId} ${r.traceId}`),
    [`tok-race ${winners[0]?.traceId ?? ''}`],
  );
}

describe('concurrent consume across processes', () => {
  it(`sqlite, fresh database: ${String(N)} processes, exactly one consumes the token`, async () => {
    const dir = freshDir();
    const path = join(dir, '.gait', 'state.db');
    const results = await race('sqlite', path, dir);
    const ledger = openSqliteLedger(path);
    assertOneWinner(results, [...ledger.list()]);
    ledger.close();
  });

  it(`sqlite, existing database: ${String(N)} processes, exactly one consumes the token`, async () => {
    const dir = freshDir();
    const path = join(dir, 'state.db');
    const seed = openSqliteLedger(path);
    seed.list();
    seed.close();
    const results = await race('sqlite', path, dir);
    const ledger = openSqliteLedger(path);
    assertOneWinner(results, [...ledger.list()]);
    ledger.close();
  });

  it(`JSON file: ${String(N)} processes, exactly one consumes the token`, async () => {
    const dir = freshDir();
    const path = join(dir, '.gait', 'state.db.json');
    const results = await race('file', path, dir);
    assertOneWinner(results, [...openFileLedger(path).list()]);
  });
});
