/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON documents in place */
/**
 * `gait pack build|verify|inspect|diff` in-process: the artifacts.md §3.8 test kit, live.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { buildPack } from '../../src/artifacts/pack/build.js';
import { craftZip } from '../helpers/zip-craft.js';
import type { CraftEntry } from '../helpers/zip-craft.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, V4_KEY_ID, V4_PRIVATE_KEY, V4_PUBLIC_KEY } from './support.js';
import { record, recordWorkspace, sha256, unzipIndependently, V3_MANIFEST_DIGEST } from './runpack/fixtures.js';

async function packWorkspace(...keyFlags: string[]): Promise<TestIo> {
  const t = recordWorkspace();
  assert.equal((await record(t)).code, 0);
  const run = await gait(t, 'pack', 'build', '--type', 'run', '--from', 'run_tck', '--out', 'pack_run.zip', '--json', ...keyFlags);
  assert.equal(run.code, 0, run.stdout);
  return t;
}

async function entriesOf(t: TestIo, file: string): Promise<CraftEntry[]> {
  return [...(await unzipIndependently(readFileSync(join(t.cwd, file))))].map(([name, data]) => ({ name, data }));
}

async function verifyFails(t: TestIo, file: string, ...flags: string[]): Promise<Record<string, any>> {
  const run = await gait(t, 'pack', 'verify', file, '--json', ...flags);
  assert.equal(run.code, 2, run.stdout);
  const out = jsonLine(run);
  assert.equal(out['ok'], false);
  return out;
}

describe('gait pack build', () => {
  it('#1: run record → pack build --type run → pack verify: exit 0, ok', async () => {
    const t = await packWorkspace();
    const verify = await gait(t, 'pack', 'verify', 'pack_run.zip', '--json');
    assert.equal(verify.code, 0, verify.stdout);
    const out = jsonLine(verify);
    assert.deepEqual([out['schema_id'], out['schema_version'], out['ok'], out['operation']], ['gait.pack.output', '1.0.0', true, 'verify']);
    assert.deepEqual([(out['verify'] as any).pack_type, (out['verify'] as any).source_ref, (out['verify'] as any).files_checked, (out['verify'] as any).proof_records_verified], ['run', 'run_tck', 4, 3]);
    assert.equal((await gait(t, 'pack', 'verify', 'pack_run.zip')).stdout.split('\n')[0], 'pack verify ok: pack_run.zip');
  });

  it('prints the build wrapper; the default output is <runpack dir>/pack_<pack_id>.zip', async () => {
    const t = recordWorkspace();
    await record(t);
    const out = jsonLine(await gait(t, 'pack', 'build', '--type', 'run', '--from', 'run_tck', '--json'));
    assert.deepEqual([out['schema_id'], out['operation'], out['pack_type'], out['source_ref']], ['gait.pack.output', 'build', 'run', 'run_tck']);
    assert.equal(out['path'], `gait-out/pack_${String(out['pack_id'])}.zip`);
    const text = await gait(t, 'pack', 'build', '--type', 'run', '--from', 'run_tck');
    assert.equal(text.stdout, `pack build ok: gait-out/pack_${String(out['pack_id'])}.zip (run)\n`);
  });

  it('#11: building the same run pack twice gives identical bytes and pack_id', async () => {
    const t = await packWorkspace();
    await gait(t, 'pack', 'build', '--type', 'run', '--from', 'run_tck', '--out', 'again.zip');
    assert.equal(sha256(readFileSync(join(t.cwd, 'again.zip'))), sha256(readFileSync(join(t.cwd, 'pack_run.zip'))));
  });

  it('the call and authorization types need runtimes not built yet (exit 6); unknown types are usage errors', async () => {
    const t = makeTestIo();
    assert.match(String(invalidInput(await gait(t, 'pack', 'build', '--type', 'call', '--from', 'call_1', '--json'))['error']), /^pack type call needs the call runtime/);
    assert.match(String(invalidInput(await gait(t, 'pack', 'build', '--type', 'authorization', '--from', 't', '--json'))['error']), /^pack type authorization needs the authorization runtime/);
    invalidInput(await gait(t, 'pack', 'build', '--type', 'weird', '--from', 'x', '--json'));
  });
});

describe('gait pack verify: the test kit', () => {
  it('#2: signed with key A, verified with key B and --require-signature → failed', async () => {
    const t = await packWorkspace('--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY);
    const good = jsonLine(await gait(t, 'pack', 'verify', 'pack_run.zip', '--require-signature', '--public-key', V4_PUBLIC_KEY, '--json'));
    assert.deepEqual([good['ok'], (good['verify'] as any).signature_status, (good['verify'] as any).signatures_valid], [true, 'verified', 1]);
    const other = makeTestIo();
    await gait(other, 'keys', 'init', '--out-dir', 'k');
    const out = await verifyFails(t, 'pack_run.zip', '--public-key', join(other.cwd, 'k/gait_public.key'), '--require-signature');
    assert.equal((out['verify'] as any).signature_status, 'failed');
    const manifest = JSON.parse((await unzipIndependently(readFileSync(join(t.cwd, 'pack_run.zip')))).get('pack_manifest.json')!.toString()) as Record<string, any>;
    assert.equal(manifest['signatures'][0].key_id, V4_KEY_ID);
  });

  it('#4: a bare runpack verifies with legacy_type runpack', async () => {
    const t = await packWorkspace();
    const out = jsonLine(await gait(t, 'pack', 'verify', 'gait-out/runpack_run_tck.zip', '--json'));
    assert.deepEqual([out['ok'], (out['verify'] as any).legacy_type, (out['verify'] as any).pack_id, (out['verify'] as any).pack_type], [true, 'runpack', V3_MANIFEST_DIGEST, 'run']);
  });

  it('#6: run_payload.json + "\\n", re-zipped: exit 2, hash mismatch', async () => {
    const t = await packWorkspace();
    const e = await entriesOf(t, 'pack_run.zip');
    writeFileSync(join(t.cwd, 'x.zip'), craftZip(e.map((x) => (x.name === 'run_payload.json' ? { ...x, data: Buffer.concat([x.data as Buffer, Buffer.from('\n')]) } : x))));
    const out = await verifyFails(t, 'x.zip');
    assert.deepEqual((out['verify'] as any).hash_mismatches.map((m: { path: string }) => m.path), ['run_payload.json']);
  });

  it('#7: an extra extra.txt: exit 2, undeclared_files ["extra.txt"]', async () => {
    const t = await packWorkspace();
    writeFileSync(join(t.cwd, 'x.zip'), craftZip([...(await entriesOf(t, 'pack_run.zip')), { name: 'extra.txt', data: 'x', method: 0 }]));
    assert.deepEqual((await verifyFails(t, 'x.zip'))['verify'].undeclared_files, ['extra.txt']);
  });

  it('#8: manifest schema_id gait.pack.invalid: exit 2', async () => {
    const t = await packWorkspace();
    const e = await entriesOf(t, 'pack_run.zip');
    const edited = e.map((x) => {
      if (x.name !== 'pack_manifest.json') return x;
      const m = JSON.parse((x.data as Buffer).toString()) as Record<string, unknown>;
      return { ...x, data: canonicalize({ ...m, schema_id: 'gait.pack.invalid' }) ?? '' };
    });
    writeFileSync(join(t.cwd, 'x.zip'), craftZip(edited));
    const out = await verifyFails(t, 'x.zip');
    assert.equal(out['error'], 'invalid pack manifest: schema_id must be gait.pack.manifest, got `gait.pack.invalid`');
  });

  it('#12: an embedded runpack that fails verification fails the pack (exit 2)', async () => {
    const t = await packWorkspace();
    const e = await entriesOf(t, 'pack_run.zip');
    const inner = [...(await unzipIndependently(e.find((x) => x.name === 'source/runpack.zip')!.data as Buffer))].map(([name, data]) => ({ name, data }));
    const badInner = craftZip(inner.filter((x) => x.name !== 'refs.json'));
    // Re-declare the new inner zip so only the type contract can catch it.
    const list = e.filter((x) => x.name !== 'pack_manifest.json' && x.name !== 'proof_records.jsonl').map((x) => (x.name === 'source/runpack.zip' ? { ...x, data: badInner } : x));
    const manifest = JSON.parse((e.find((x) => x.name === 'pack_manifest.json')!.data as Buffer).toString()) as Record<string, any>;
    manifest['contents'] = list.map((x) => ({ path: x.name, sha256: sha256(x.data as Uint8Array), type: x.name.endsWith('.zip') ? 'zip' : 'json' }));
    manifest['pack_id'] = '';
    manifest['pack_id'] = sha256(canonicalize(manifest) ?? '');
    writeFileSync(join(t.cwd, 'x.zip'), craftZip([...list, { name: 'pack_manifest.json', data: canonicalize(manifest) ?? '' }]));
    const out = await verifyFails(t, 'x.zip');
    const contract = (out['verify'] as any).checks.find((c: { name: string }) => c.name === 'type_contract');
    assert.match(contract.why, /^embedded runpack failed verification: declared_files: missing files: refs\.json/);
  });

  it('a zip that is neither a pack nor a runpack: missing pack_manifest.json (exit 6)', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'x.zip'), craftZip([{ name: 'a.txt', data: 'x' }]));
    assert.equal(invalidInput(await gait(t, 'pack', 'verify', 'x.zip', '--json'))['error'], 'missing pack_manifest.json');
    assert.equal(invalidInput(await gait(t, 'pack', 'verify', 'none.zip', '--json'))['error'], 'pack not found: none.zip');
  });
});

describe('gait pack inspect and diff', () => {
  async function withJobPack(t: TestIo): Promise<void> {
    const job = buildPack(
      {
        packType: 'job',
        sourceRef: 'job_demo',
        entries: [
          { path: 'job_payload.json', data: Buffer.from(canonicalize({ schema_id: 'gait.pack.job', schema_version: '1.0.0', created_at: '2026-02-14T00:00:00Z', job_id: 'job_demo', status: 'completed', checkpoint_count: 0, approval_count: 0 }) ?? '') },
          { path: 'job_state.json', data: Buffer.from('{"job_id":"job_demo"}') },
          { path: 'job_events.jsonl', data: Buffer.from('{"type":"completed"}\n') },
        ],
      },
      { producerVersion: '0.0.0-dev' },
    );
    writeFileSync(join(t.cwd, 'pack_job.zip'), job.bytes);
  }

  it('inspect shows the manifest, run payload and lineage', async () => {
    const t = await packWorkspace();
    const out = jsonLine(await gait(t, 'pack', 'inspect', 'pack_run.zip', '--json'));
    assert.deepEqual([out['operation'], (out['inspect'] as any).pack_type, (out['inspect'] as any).run_payload.manifest_digest], ['inspect', 'run', V3_MANIFEST_DIGEST]);
    assert.deepEqual((out['inspect'] as any).run_lineage, { intent_results: [{ intent_id: 'intent_1', status: 'ok', tool_name: 'echo' }], receipt_count: 1, timeline_events: 1 });
    const legacy = jsonLine(await gait(t, 'pack', 'inspect', 'gait-out/runpack_run_tck.zip', '--json'));
    assert.equal((legacy['inspect'] as any).legacy_type, 'runpack');
  });

  it('#9: pack diff pack_run.zip pack_job.zip --json twice: identical exit codes and stdout bytes; JSON has diff', async () => {
    const t = await packWorkspace();
    await withJobPack(t);
    const a = await gait(t, 'pack', 'diff', 'pack_run.zip', 'pack_job.zip', '--json');
    const b = await gait(t, 'pack', 'diff', 'pack_run.zip', 'pack_job.zip', '--json');
    assert.equal(a.code, 2);
    assert.deepEqual([b.code, b.stdout], [a.code, a.stdout]);
    const diff = jsonLine(a)['diff'] as Record<string, any>;
    assert.deepEqual([diff['schema_id'], diff['created_at'], diff['left_pack_type'], diff['right_pack_type'], diff['summary'].changed, diff['summary'].manifest_delta], [
      'gait.pack.diff', '1980-01-01T00:00:00Z', 'run', 'job', true, true,
    ]);
  });

  it('diff of a pack with itself: exit 0; --output writes the result', async () => {
    const t = await packWorkspace();
    const run = await gait(t, 'pack', 'diff', 'pack_run.zip', 'pack_run.zip', '--output', 'd.json', '--json');
    assert.equal(run.code, 0);
    const written = JSON.parse(readFileSync(join(t.cwd, 'd.json'), 'utf8')) as Record<string, any>;
    assert.deepEqual(written, (jsonLine(run)['diff'] as Record<string, unknown>));
    assert.deepEqual(written['summary'], { changed: false, context_drift_classification: 'none', manifest_delta: false });
  });
});
