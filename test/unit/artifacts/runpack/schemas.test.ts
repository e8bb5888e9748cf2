/**
 * Our runpack and pack JSON Schemas against the Gait v1 schema-testdata samples (vectors README §4):
 * every `*_valid*` document validates, every `*_invalid*` one is rejected; and the records this
 * implementation writes validate too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRecord } from '../../../../src/schema/validate.js';
import type { RecordValidation } from '../../../../src/schema/validate.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { buildRunPack } from '../../../../src/artifacts/pack/build.js';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { v1Input, v3Input } from './vectors.js';

const DATA = join(process.cwd(), 'test/fixtures/vectors/gait-v1/schema-testdata');
const validate = validateRecord as (id: string, value: unknown) => RecordValidation;

/** sample prefix → schema id (SCHEMA_IDS.md "Test data" column). */
const PREFIXES: Readonly<Record<string, string>> = {
  manifest: 'gait.runpack.manifest',
  run: 'gait.runpack.run',
  intent: 'gait.runpack.intent',
  result: 'gait.runpack.result',
  refs: 'gait.runpack.refs',
  pack_manifest: 'gait.pack.manifest',
  pack_run: 'gait.pack.run',
  pack_job: 'gait.pack.job',
  pack_call: 'gait.pack.call',
  pack_diff: 'gait.pack.diff',
};

function docs(file: string): unknown[] {
  const text = readFileSync(join(DATA, file), 'utf8');
  return file.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown) : [JSON.parse(text) as unknown];
}

const samples = readdirSync(DATA)
  .sort()
  .flatMap((file) => {
    const m = /^(.*?)(?:_relationship)?_(valid|invalid)\.jsonl?$/.exec(file);
    const id = m === null ? undefined : PREFIXES[m[1] as string];
    return id === undefined ? [] : [{ file, id, valid: m?.[2] === 'valid' }];
  });

describe('runpack and pack schemas: Gait v1 schema-testdata', () => {
  it('covers the 21 runpack and pack samples', () => {
    assert.equal(samples.length, 21);
  });
  for (const s of samples) {
    it(`${s.valid ? 'accepts' : 'rejects'} ${s.file}`, () => {
      for (const doc of docs(s.file)) {
        const result = validate(s.id, doc);
        assert.equal(result.ok, s.valid, result.errors.join('; '));
      }
    });
  }
});

describe('runpack and pack schemas: what we write validates', () => {
  const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
  const built = buildRunpackSync(parseRunpackInput({ ...v1Input(), capture_mode: 'raw' }), { clock });
  const text = (name: string): string => Buffer.from(built.runpack.entries.get(name) as Uint8Array).toString('utf8');

  it('run.json, refs.json, manifest.json and every JSONL line of a raw-mode V1 runpack', () => {
    assert.deepEqual(validate('gait.runpack.run', JSON.parse(text('run.json'))).errors, []);
    assert.deepEqual(validate('gait.runpack.refs', JSON.parse(text('refs.json'))).errors, []);
    assert.deepEqual(validate('gait.runpack.manifest', JSON.parse(text('manifest.json'))).errors, []);
    for (const line of text('intents.jsonl').trim().split('\n')) assert.deepEqual(validate('gait.runpack.intent', JSON.parse(line)).errors, []);
    for (const line of text('results.jsonl').trim().split('\n')) assert.deepEqual(validate('gait.runpack.result', JSON.parse(line)).errors, []);
  });

  it('pack_manifest.json and run_payload.json of the P1 run pack', () => {
    const rp = buildRunpackSync(parseRunpackInput(v3Input()), { clock });
    const zip = openZip(buildRunPack(rp.bytes, { producerVersion: '0.0.0-dev' }).bytes);
    const json = (name: string): unknown => JSON.parse(Buffer.from(zip.read(name)).toString('utf8'));
    assert.deepEqual(validate('gait.pack.manifest', json('pack_manifest.json')).errors, []);
    assert.deepEqual(validate('gait.pack.run', json('run_payload.json')).errors, []);
  });
});
