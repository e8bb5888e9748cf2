/**
 * Byte determinism across timezones (artifacts.md §1.3, §2.13; DEPENDENCIES.md "ZIP timezone trap"):
 * the same input gives the same zip bytes under TZ=UTC, Asia/Tokyo and America/New_York. Spawns node,
 * since TZ is read at process start.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(process.cwd(), 'test/e2e/runpack/tz-bytes.ts');

interface Hashes {
  readonly tz: string;
  readonly offset: number;
  readonly codes: number[];
  readonly library: string;
  readonly cli_runpack: string;
  readonly cli_pack: string;
}

function inZone(tz: string): Hashes {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Hashes;
}

describe('runpack and pack bytes do not depend on the timezone', () => {
  it('TZ=UTC, Asia/Tokyo and America/New_York give identical bytes', () => {
    const zones = ['UTC', 'Asia/Tokyo', 'America/New_York'].map(inZone);
    assert.deepEqual(zones.map((z) => z.offset), [0, -540, 300], 'the zones really differ');
    for (const z of zones) assert.deepEqual(z.codes, [0, 0]);
    const [utc, tokyo, newYork] = zones as [Hashes, Hashes, Hashes];
    for (const key of ['library', 'cli_runpack', 'cli_pack'] as const) {
      assert.equal(tokyo[key], utc[key], `${key}: Tokyo vs UTC`);
      assert.equal(newYork[key], utc[key], `${key}: New York vs UTC`);
    }
    // Pinned: the deterministic writer's bytes for the V1 runpack (change only with ADR 0010).
    assert.equal(utc.library, '612be86919acadd8bfc45ceb25376bd746e1be4cc2b672ec448eacb9fc3cde4c');
  });
});
