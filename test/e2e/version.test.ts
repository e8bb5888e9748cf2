/** `gait version` and its aliases, help and unknown commands (artifacts.md §8), in-process. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestIo } from '../helpers/cli-io.js';
import { gait, jsonLine } from './support.js';

const VERSION = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;

describe('gait version', () => {
  for (const argv of [['version'], ['--version'], ['-v'], []]) {
    it(`\`gait ${argv.join(' ')}\` prints gait <version>, exit 0`, async () => {
      const run = await gait(makeTestIo(), ...argv);
      assert.deepEqual([run.code, run.stdout, run.stderr], [0, `gait ${VERSION}\n`, '']);
    });
  }

  for (const argv of [['version', '--json'], ['--version', '--json'], ['-v', '-json'], ['--json']]) {
    it(`\`gait ${argv.join(' ')}\` prints {correlation_id, ok, version}`, async () => {
      const run = await gait(makeTestIo(), ...argv);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `{"correlation_id":"cid-test","ok":true,"version":"${VERSION}"}\n`);
      assert.deepEqual(Object.keys(jsonLine(run)), ['correlation_id', 'ok', 'version']);
    });
  }
});

describe('gait help and unknown commands', () => {
  for (const argv of [['help'], ['--help'], ['-h']]) {
    it(`\`gait ${argv.join(' ')}\` prints usage, exit 0`, async () => {
      const run = await gait(makeTestIo(), ...argv);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^Usage: gait \[options\] \[command\]\n/);
      assert.match(run.stdout, /\n {2}regress +regress commands\n/);
    });
  }

  it('an unknown command prints `error: unknown command: <x>` plus usage, exit 6', async () => {
    const run = await gait(makeTestIo(), 'frobnicate');
    assert.equal(run.code, 6);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^error: unknown command: frobnicate\nUsage: gait \[options\] \[command\]\n/);
    const json = jsonLine(await gait(makeTestIo(), 'frobnicate', '--json'));
    assert.equal(json['error'], 'unknown command: frobnicate');
    assert.equal(json['error_code'], 'invalid_input');
  });
});
