/**
 * `gait verify <run_id|path>` in-process (artifacts.md §2.7, §2.8, issue 4 safety list): exit 0 when
 * verified, 2 with a report naming the failing check, 6 for usage and not-found errors; nothing is
 * ever extracted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftZip } from '../helpers/zip-craft.js';
import type { CraftEntry } from '../helpers/zip-craft.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, listTree, V4_PRIVATE_KEY, V4_PUBLIC_KEY } from './support.js';
import { record, recordWorkspace, unzipIndependently, V3_MANIFEST_DIGEST } from './runpack/fixtures.js';

const NEXT = [
  'gait run inspect --from run_tck --json',
  'gait regress bootstrap --from run_tck --intents <intents.jsonl> --json --junit ./gait-out/junit.xml',
  'gait demo --durable',
  'gait demo --policy',
];

async function recorded(...flags: string[]): Promise<TestIo> {
  const t = recordWorkspace();
  assert.equal((await record(t, ...flags)).code, 0);
  return t;
}

async function entries(t: TestIo): Promise<CraftEntry[]> {
  const map = await unzipIndependently(readFileSync(join(t.cwd, 'gait-out/runpack_run_tck.zip')));
  return [...map].map(([name, data]) => ({ name, data }));
}

/** Writes a re-zipped variant as `bad.zip` and verifies it: exit 2; returns the JSON. */
async function verifyVariant(t: TestIo, change: (e: CraftEntry[]) => CraftEntry[], ...flags: string[]): Promise<Record<string, unknown>> {
  writeFileSync(join(t.cwd, 'bad.zip'), craftZip(change(await entries(t))));
  const run = await gait(t, 'verify', 'bad.zip', '--json', ...flags);
  assert.equal(run.code, 2, run.stdout);
  const out = jsonLine(run);
  assert.equal(out['ok'], false);
  return out;
}

function failedChecks(out: Record<string, unknown>): string[] {
  return (out['checks'] as { name: string; ok: boolean }[]).filter((c) => !c.ok).map((c) => c.name);
}

describe('gait verify: verified runpacks (exit 0)', () => {
  it('resolves a run id under ./gait-out and prints the §2.8 JSON', async () => {
    const t = await recorded();
    const out = jsonLine(await gait(t, 'verify', 'run_tck', '--json'));
    assert.deepEqual(
      { ...out, checks: undefined },
      {
        checks: undefined,
        correlation_id: 'cid-test',
        files_checked: 4,
        manifest_digest: V3_MANIFEST_DIGEST,
        next_commands: NEXT,
        ok: true,
        path: 'gait-out/runpack_run_tck.zip',
        run_id: 'run_tck',
        signature_note: 'unsigned local/dev artifacts are expected by default; use --require-signature for strict verification',
        signature_status: 'missing',
      },
    );
    assert.equal((out['checks'] as unknown[]).length, 8);
  });

  it('text output', async () => {
    const t = await recorded();
    const run = await gait(t, 'verify', 'gait-out/runpack_run_tck.zip');
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      'verify ok: gait-out/runpack_run_tck.zip',
      'signature status: missing',
      'signature note: unsigned local/dev artifacts are expected by default; use --require-signature for strict verification',
      `next: ${NEXT.join(' | ')}`,
    ]);
  });

  it('finds ~/.gait/runpacks/runpack_<id>.zip', async () => {
    const home = makeTestIo().cwd;
    const t = recordWorkspace({}, { env: { GAIT_CORRELATION_ID: 'cid-test', HOME: home } });
    await record(t, '--out-dir', join(home, '.gait', 'runpacks'));
    const out = jsonLine(await gait(t, 'verify', 'run_tck', '--json'));
    assert.equal(out['path'], join(home, '.gait', 'runpacks', 'runpack_run_tck.zip'));
  });

  it('strict profile verifies a signed runpack with the public key', async () => {
    const t = await recorded('--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY);
    const out = jsonLine(await gait(t, 'verify', 'run_tck', '--profile', 'strict', '--public-key', V4_PUBLIC_KEY, '--json'));
    assert.deepEqual([out['ok'], out['signature_status'], out['signatures_valid'], out['signature_note']], [true, 'verified', 1, 'signatures verified']);
  });
});

describe('gait verify: failures (exit 2, naming the check)', () => {
  it('zip-slip ../x, and nothing is extracted anywhere', async () => {
    const t = await recorded();
    mkdirSync(join(t.cwd, 'target'));
    const before = listTree(t.cwd);
    const out = await verifyVariant(t, (e) => [...e, { name: '../x', data: 'evil' }, { name: '../../tmp/pwned', data: 'evil' }]);
    assert.deepEqual([failedChecks(out), out['error']], [['zip'], 'unsafe zip entry name: ../x']);
    assert.deepEqual([out['error_code'], out['error_category']], ['verification_failed', 'verification_failed']);
    assert.deepEqual(listTree(t.cwd), [...before, 'bad.zip'].sort());
  });

  it('absolute and backslash names', async () => {
    const t = await recorded();
    assert.equal((await verifyVariant(t, (e) => [...e, { name: '/etc/passwd', data: 'x' }]))['error'], 'unsafe zip entry name: /etc/passwd');
    assert.equal((await verifyVariant(t, (e) => [...e, { name: 'a\\..\\..\\x', data: 'x' }]))['error'], 'unsafe zip entry name: a\\..\\..\\x');
  });

  it('duplicate entry names', async () => {
    const t = await recorded();
    const out = await verifyVariant(t, (e) => [...e, { name: 'run.json', data: '{}' }]);
    assert.deepEqual([failedChecks(out), out['error']], [['zip'], 'zip contains duplicate entries: run.json']);
  });

  it('an entry larger than declared', async () => {
    const t = await recorded();
    const out = await verifyVariant(t, (e) => e.map((x) => (x.name === 'refs.json' ? { ...x, declaredSize: 3 } : x)));
    assert.equal(out['error'], 'zip entry refs.json decompresses to more than its declared 3 bytes');
  });

  it('caps from --max-entry-bytes and --max-archive-bytes', async () => {
    const t = await recorded();
    const run = await gait(t, 'verify', 'run_tck', '--max-entry-bytes', '64', '--json');
    assert.equal(run.code, 2);
    assert.match(String(jsonLine(run)['error']), /over the entry limit of 64 bytes$/);
    const total = jsonLine(await gait(t, 'verify', 'run_tck', '--max-archive-bytes', '100', '--json'));
    assert.equal(total['error'], 'zip archive declares more than 100 bytes in total, over the archive limit');
    invalidInput(await gait(t, 'verify', 'run_tck', '--max-entry-bytes', 'lots', '--json'));
  });

  it('a truncated zip', async () => {
    const t = await recorded();
    const bytes = readFileSync(join(t.cwd, 'gait-out/runpack_run_tck.zip'));
    writeFileSync(join(t.cwd, 'cut.zip'), bytes.subarray(0, bytes.length - 10));
    const run = await gait(t, 'verify', 'cut.zip', '--json');
    assert.equal(run.code, 2);
    assert.deepEqual(failedChecks(jsonLine(run)), ['zip']);
    assert.equal(run.stdout.includes('zip archive is truncated or not a zip file'), true);
  });

  it('a manifest listing a missing file', async () => {
    const t = await recorded();
    const out = await verifyVariant(t, (e) => e.filter((x) => x.name !== 'results.jsonl'));
    assert.deepEqual([failedChecks(out), out['missing_files']], [['declared_files'], ['results.jsonl']]);
  });

  it('an extra undeclared file', async () => {
    const t = await recorded();
    const out = await verifyVariant(t, (e) => [...e, { name: 'extra.txt', data: 'x' }]);
    assert.deepEqual([failedChecks(out), out['undeclared_files']], [['undeclared_files'], ['extra.txt']]);
    const human = await gait(t, 'verify', 'bad.zip');
    assert.deepEqual(human.stdout.split('\n').slice(0, 2), ['verify failed: bad.zip', 'undeclared files: extra.txt']);
  });

  it('one byte of run.json changed', async () => {
    const t = await recorded();
    const out = await verifyVariant(t, (e) => e.map((x) => (x.name === 'run.json' ? { ...x, data: Buffer.from((x.data as Buffer).toString().replace('darwin', 'Darwin')) } : x)));
    assert.deepEqual(failedChecks(out), ['file_hashes']);
    assert.deepEqual((out['hash_mismatches'] as { path: string }[]).map((m) => m.path), ['run.json']);
  });

  it('one raw byte of the archive changed', async () => {
    const t = await recorded();
    const bytes = Buffer.from(readFileSync(join(t.cwd, 'gait-out/runpack_run_tck.zip')));
    bytes[200] = (bytes[200] as number) ^ 0x20;
    writeFileSync(join(t.cwd, 'flip.zip'), bytes);
    const run = await gait(t, 'verify', 'flip.zip', '--json');
    assert.equal(run.code, 2);
    assert.notDeepEqual(failedChecks(jsonLine(run)), []);
  });

  it('a signature that does not verify, and a required signature that is missing', async () => {
    const t = await recorded('--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY);
    const other = makeTestIo().cwd;
    assert.equal((await gait(makeTestIo({ cwd: other }), 'keys', 'init', '--out-dir', 'k', '--json')).code, 0);
    const wrong = jsonLine(await gait(t, 'verify', 'run_tck', '--public-key', join(other, 'k/gait_public.key'), '--json'));
    assert.deepEqual([wrong['ok'], wrong['signature_status'], wrong['signature_errors'], failedChecks(wrong)], [false, 'failed', ['key id mismatch'], ['signature']]);
    const u = await recorded();
    const missing = await gait(u, 'verify', 'run_tck', '--require-signature', '--json');
    assert.equal(missing.code, 2);
    assert.deepEqual(jsonLine(missing)['signature_errors'], ['manifest has no signatures']);
  });
});

describe('gait verify: usage (exit 6)', () => {
  it('not found by path or run id', async () => {
    const t = makeTestIo();
    assert.equal(invalidInput(await gait(t, 'verify', 'nope.zip', '--json'))['error'], 'runpack not found: nope.zip');
    assert.equal(invalidInput(await gait(t, 'verify', 'run_nope', '--json'))['error'], 'runpack not found for run_id: run_nope');
  });

  it('strict profile without a key source', async () => {
    const t = await recorded();
    assert.equal(
      invalidInput(await gait(t, 'verify', 'run_tck', '--profile', 'strict', '--json'))['error'],
      'strict verify profile requires --public-key/--public-key-env or private key source',
    );
  });
});
