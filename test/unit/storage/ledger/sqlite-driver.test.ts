import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSqliteDriver } from '../../../../src/storage/ledger/sqlite-driver.js';
import { caught, tempRoot } from './helpers.js';

const freshDir = tempRoot('driver');

const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('loadSqliteDriver()', () => {
  it('loads better-sqlite3 once and caches it', () => {
    const a = loadSqliteDriver();
    assert.equal(typeof a, 'function');
    assert.equal(loadSqliteDriver(), a);
  });

  it('reports a missing module as dependency_missing with an install hint', () => {
    const err = caught(() => loadSqliteDriver('gait-no-such-sqlite-module'));
    assert.equal(err.code, 'internal_dependency_missing');
    assert.equal(err.category, 'dependency_missing');
    assert.equal(err.message, 'cannot load `gait-no-such-sqlite-module`: module is not installed');
    assert.match(err.hint, /^install the optional dependency \(`npm install better-sqlite3`/);
    assert.deepEqual(err.details, { module: 'gait-no-such-sqlite-module' });
  });

  it('reports a native module that fails to load as dependency_missing (first line of the cause)', () => {
    // Stands in for a better-sqlite3 whose native binary does not match this Node.
    const path = join(freshDir(), 'broken-driver.cjs');
    writeFileSync(path, "throw new Error('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 999\\nmore detail');\n");
    const err = caught(() => loadSqliteDriver(path));
    assert.equal(err.code, 'internal_dependency_missing');
    assert.equal(
      err.message,
      `cannot load \`${path}\`: native module failed to load: The module was compiled against a different Node.js version using NODE_MODULE_VERSION 999`,
    );
    assert.ok(err.cause instanceof Error);
  });

  it('is lazy: neither the root entry nor importing the ledger modules loads better-sqlite3', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fixture('lazy-load.ts')], { cwd: repoRoot, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { afterRoot: false, afterImport: false, afterOpen: true });
  });
});
