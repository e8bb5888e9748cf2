/**
 * Runpacks and packs of the decision service (mcp-and-export.md §5.6 "Per-request artifacts",
 * "Auto-pack", "Retention"): names, signatures (the library verify functions), the bytes `gait mcp
 * proxy` writes for the same call, auto-pack through the service, client paths, retention of the
 * runpack and pack classes, and a failed write (500, nothing partial left).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { verifyPack, verifyRunpack } from '../../../../src/api/runpack.js';
import { encodePrivateKey } from '../../../../src/crypto/keys.js';
import { runCli } from '../../../../src/transports/cli/main.js';
import { makeTestIo } from '../../../helpers/cli-io.js';
import { jsonOf, post, serviceFixtures, SERVE_KEY, SERVE_POLICY, SERVE_VERIFY_KEY } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixture = serviceFixtures();

const DIRS = { runpackDir: 'runpacks', packDir: 'packs' } as const;
/** the fixed test clock: the trace takes the first unique timestamp, the artifacts the next */
const TS = ['20260205T000000.000000000', '20260205T000000.000000001', '20260205T000000.000000002', '20260205T000000.000000003'] as const;

async function evaluate(f: ServeFixture, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await f.service.fetch(post('/v1/evaluate', body));
  return { status: res.status, body: await jsonOf(res) };
}

function call(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, args: { path: '/tmp/x' }, ...extra };
}

function bytesAt(f: ServeFixture, path: unknown): Uint8Array {
  return new Uint8Array(readFileSync(join(f.cwd, String(path))));
}

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(relative(root, join(dir, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

/** the retention warnings of a response (the standard-profile fallback warning is always there) */
function retentionWarnings(body: Record<string, unknown>): string[] {
  return ((body['warnings'] as string[] | undefined) ?? []).filter((w) => w.startsWith('retention_'));
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50)); // retention unlinks run in the background

describe('emit_runpack / emit_pack (§5.6)', () => {
  it('creates the runpack and pack directories at startup', () => {
    const f = fixture({ runpackDir: 'out/rp', packDir: 'out/pk' });
    assert.equal(statSync(join(f.cwd, 'out/rp')).isDirectory(), true);
    assert.equal(statSync(join(f.cwd, 'out/pk')).isDirectory(), true);
  });

  it('emit_runpack writes <runpack-dir>/runpack_<run id>_<ts>.zip, signed with the server key', async () => {
    const f = fixture(DIRS);
    const r = await evaluate(f, { call: call('tool.search'), run_id: 'job-7', emit_runpack: true });
    assert.equal(r.status, 200);
    assert.equal(r.body['trace_path'], `traces/trace_run_job-7_${TS[0]}.json`);
    assert.equal(r.body['runpack_path'], `runpacks/runpack_run_job-7_${TS[1]}.zip`);
    assert.equal(r.body['pack_path'], undefined, 'tool.search is read-only: no auto-pack');
    assert.equal(r.body['pack_id'], undefined);
    assert.equal(statSync(join(f.cwd, String(r.body['runpack_path']))).mode & 0o777, 0o600);
    const report = verifyRunpack(bytesAt(f, r.body['runpack_path']), { key: SERVE_VERIFY_KEY, requireSignature: true });
    assert.deepEqual([report.ok, report.runId, report.signatureStatus, report.signaturesValid], [true, 'run_job-7', 'verified', 1]);
    assert.deepEqual(readdirSync(join(f.cwd, 'packs')), []);
  });

  it('emit_runpack without a runpack dir writes nothing and is not an error, with a warning', async () => {
    const f = fixture();
    const r = await evaluate(f, { call: call('tool.search'), emit_runpack: true });
    assert.equal(r.status, 200);
    assert.equal(r.body['runpack_path'], undefined);
    assert.ok((r.body['warnings'] as string[]).includes('emit_runpack_skipped=server has no --runpack-dir'));
  });

  it('emit_pack writes <pack-dir>/pack_<run id>_<ts>.zip with its pack_id; the pack verifies', async () => {
    const f = fixture(DIRS);
    const r = await evaluate(f, { call: call('tool.search'), run_id: 'job-7', emit_pack: true });
    assert.equal(r.status, 200);
    assert.equal(r.body['pack_path'], `packs/pack_run_job-7_${TS[1]}.zip`);
    assert.equal(r.body['runpack_path'], undefined, 'the runpack the pack is built from is not kept');
    assert.match(String(r.body['pack_id']), /^[0-9a-f]{64}$/);
    const report = verifyPack(bytesAt(f, r.body['pack_path']), { key: SERVE_VERIFY_KEY, requireSignature: true });
    assert.deepEqual([report.ok, report.packId, report.packType, report.signatureStatus], [true, r.body['pack_id'], 'run', 'verified']);
    assert.deepEqual(readdirSync(join(f.cwd, 'runpacks')), []);
  });

  it('emit_pack without --pack-dir: 400 `request.emit_pack requires server --pack-dir`, no trace written', async () => {
    const f = fixture({ runpackDir: 'runpacks' });
    const r = await evaluate(f, { call: call('tool.search'), emit_pack: true });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, {
      ok: false,
      error: 'request.emit_pack requires server --pack-dir',
      error_code: 'invalid_input',
      error_category: 'invalid_input',
      error_reason: 'input_usage',
      retryable: false,
      exit_code: 6,
    });
    assert.deepEqual(readdirSync(join(f.cwd, 'traces')), []);
  });

  it('the same bytes as `gait mcp proxy --runpack-out --pack-out` for the same call and key', async () => {
    const f = fixture(DIRS);
    const tool = call('tool.delete');
    const r = await evaluate(f, { call: tool, run_id: 'job-7', emit_runpack: true, emit_pack: true });
    assert.equal(r.body['verdict'], 'require_approval');
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'policy.yaml'), SERVE_POLICY);
    writeFileSync(join(t.cwd, 'call.json'), JSON.stringify(tool));
    writeFileSync(join(t.cwd, 'key.private'), encodePrivateKey(SERVE_KEY));
    const code = await runCli(['mcp', 'proxy', 'policy.yaml', 'call.json', '--run-id', 'job-7', '--key-mode', 'prod', '--private-key', 'key.private', '--runpack-out', 'r.zip', '--pack-out', 'p.zip', '--json'], t.io);
    assert.equal(code, 4, t.err());
    const proxied = JSON.parse(t.out()) as Record<string, unknown>;
    assert.equal(proxied['pack_id'], r.body['pack_id']);
    assert.deepEqual(bytesAt(f, r.body['runpack_path']), new Uint8Array(readFileSync(join(t.cwd, 'r.zip'))));
    assert.deepEqual(bytesAt(f, r.body['pack_path']), new Uint8Array(readFileSync(join(t.cwd, 'p.zip'))));
    rmSync(t.cwd, { recursive: true, force: true });
  });
});

describe('auto-pack (§5.6): a pack for state-changing calls when --pack-dir is set', () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['a write word in the tool name (tool.delete)', call('tool.delete'), true],
    ['a write prefix in the tool name (mcp.tools.createUser)', call('mcp.tools.createUser'), true],
    ['a read word in the tool name (tool.search)', call('tool.search'), false],
    ['no operation word at all (tool.plan)', call('tool.plan'), false],
    ['a write target operation on a read-named tool', call('tool.search', { targets: [{ kind: 'path', value: '/tmp/x', operation: 'write' }] }), true],
    ['only read-only target operations on a write-named tool', call('fs.write_file', { targets: [{ kind: 'path', value: '/tmp/x', operation: 'READ' }] }), false],
  ];
  for (const [what, tool, packed] of cases) {
    it(`${what}: ${packed ? 'pack' : 'no pack'}`, async () => {
      const f = fixture({ packDir: 'packs' });
      const r = await evaluate(f, { call: tool, run_id: 'auto' });
      assert.equal(r.status, 200);
      assert.equal(r.body['pack_path'], packed ? `packs/pack_run_auto_${TS[1]}.zip` : undefined);
      assert.deepEqual(readdirSync(join(f.cwd, 'packs')), packed ? [`pack_run_auto_${TS[1]}.zip`] : []);
      if (packed) assert.equal(verifyPack(bytesAt(f, r.body['pack_path']), { key: SERVE_VERIFY_KEY, requireSignature: true }).ok, true);
    });
  }

  it('no auto-pack without --pack-dir', async () => {
    const f = fixture({ runpackDir: 'runpacks' });
    const r = await evaluate(f, { call: call('tool.delete') });
    assert.equal(r.body['pack_path'], undefined);
  });

  it('no auto-pack into the pack dir when the request names its own pack_out', async () => {
    const f = fixture({ packDir: 'packs', allowClientArtifactPaths: true });
    const r = await evaluate(f, { call: call('tool.delete'), pack_out: 'mine/p.zip' });
    assert.equal(r.body['pack_path'], 'mine/p.zip');
    assert.deepEqual(readdirSync(join(f.cwd, 'packs')), []);
  });
});

describe('client runpack_out / pack_out (§5.5)', () => {
  it('refused without --allow-client-artifact-paths', async () => {
    const f = fixture(DIRS);
    for (const field of ['runpack_out', 'pack_out']) {
      const r = await evaluate(f, { call: call('tool.search'), [field]: 'x.zip' });
      assert.equal(r.status, 400);
      assert.equal(r.body['error'], `request.${field} is not allowed by server configuration`);
      assert.equal(r.body['error_reason'], 'input_path');
    }
  });

  it('honoured with it (directories created), also without server dirs; emit_pack with pack_out needs no pack dir', async () => {
    const f = fixture({ allowClientArtifactPaths: true });
    const r = await evaluate(f, { call: call('tool.search'), run_id: 'job-7', runpack_out: 'mine/r.zip', pack_out: 'mine/deep/p.zip', emit_pack: true });
    assert.equal(r.status, 200);
    assert.equal(r.body['runpack_path'], 'mine/r.zip');
    assert.equal(r.body['pack_path'], 'mine/deep/p.zip');
    assert.equal(verifyRunpack(bytesAt(f, 'mine/r.zip'), { key: SERVE_VERIFY_KEY, requireSignature: true }).runId, 'run_job-7');
    assert.equal(verifyPack(bytesAt(f, 'mine/deep/p.zip'), { key: SERVE_VERIFY_KEY, requireSignature: true }).packId, r.body['pack_id']);
  });

  it('a relative `..` path is refused before evaluation', async () => {
    const f = fixture({ ...DIRS, allowClientArtifactPaths: true });
    const cases: [string, string][] = [
      ['runpack_out', 'relative runpack path must not traverse parent directories'],
      ['pack_out', 'relative pack path must not traverse parent directories'],
    ];
    for (const [field, message] of cases) {
      const r = await evaluate(f, { call: call('tool.search'), [field]: 'mine/../../x.zip' });
      assert.equal(r.status, 400, field);
      assert.equal(r.body['error'], message);
      assert.equal(r.body['error_reason'], 'input_path');
    }
    assert.deepEqual(readdirSync(join(f.cwd, 'traces')), []);
  });
});

describe('retention of the runpack and pack classes (§5.6)', () => {
  it('--runpack-max-count keeps the newest runpacks (checkpoints count, other files do not) and warns', async () => {
    const f = fixture({ runpackDir: 'runpacks', runpackRetention: { maxCount: 2 } }, { 'runpacks/sess_cp_000001.zip': 'x', 'runpacks/notes.zip': 'x' }, (cwd) => {
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(cwd, 'runpacks', 'sess_cp_000001.zip'), hourAgo, hourAgo);
    });
    const warnings: string[][] = [];
    for (let i = 0; i < 3; i += 1) warnings.push(retentionWarnings((await evaluate(f, { call: call('tool.search'), run_id: 'rp', emit_runpack: true })).body));
    await settle();
    assert.deepEqual(warnings, [[], ['retention_runpack_removed_age=0 removed_count=1'], ['retention_runpack_removed_age=0 removed_count=1']]);
    assert.deepEqual(readdirSync(join(f.cwd, 'runpacks')).sort(), ['notes.zip', `runpack_run_rp_${TS[3]}.zip`, 'runpack_run_rp_20260205T000000.000000005.zip']);
  });

  it('--pack-max-count and --pack-max-age over pack_*.zip', async () => {
    const f = fixture({ packDir: 'packs', packRetention: { maxCount: 1, maxAgeMs: 60_000 } }, { 'packs/pack_old.zip': 'x', 'packs/keep.zip': 'x' }, (cwd) => {
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(cwd, 'packs', 'pack_old.zip'), hourAgo, hourAgo);
    });
    const first = await evaluate(f, { call: call('tool.delete'), run_id: 'pk' });
    assert.deepEqual(retentionWarnings(first.body), ['retention_pack_removed_age=1 removed_count=0']);
    const second = await evaluate(f, { call: call('tool.delete'), run_id: 'pk' });
    assert.deepEqual(retentionWarnings(second.body), ['retention_pack_removed_age=0 removed_count=1']);
    await settle();
    assert.deepEqual(readdirSync(join(f.cwd, 'packs')).sort(), ['keep.zip', `pack_run_pk_${TS[3]}.zip`]);
  });

  it('packs at client paths outside the pack dir are not under retention', async () => {
    const f = fixture({ packDir: 'packs', packRetention: { maxCount: 1 }, allowClientArtifactPaths: true });
    await evaluate(f, { call: call('tool.delete'), pack_out: 'mine/pack_client_1.zip' });
    const r = await evaluate(f, { call: call('tool.delete'), pack_out: 'mine/pack_client_2.zip' });
    assert.deepEqual(retentionWarnings(r.body), []);
    await settle();
    assert.deepEqual(readdirSync(join(f.cwd, 'mine')).sort(), ['pack_client_1.zip', 'pack_client_2.zip']);
    assert.deepEqual(readdirSync(join(f.cwd, 'packs')), []);
  });
});

describe('a failed artifact write (§5.7)', () => {
  it('a pack dir replaced by a file: 500 internal_failure, no partial file left', async () => {
    const f = fixture(DIRS);
    rmSync(join(f.cwd, 'packs'), { recursive: true });
    writeFileSync(join(f.cwd, 'packs'), 'not a directory');
    const r = await evaluate(f, { call: call('tool.search'), run_id: 'job-7', emit_pack: true });
    assert.equal(r.status, 500);
    assert.equal(r.body['ok'], false);
    assert.equal(r.body['error_code'], 'internal_failure');
    assert.equal(r.body['error_reason'], 'storage_io');
    assert.equal(r.body['exit_code'], 1);
    assert.match(String(r.body['error']), new RegExp(`^cannot write \`${join(f.cwd, 'packs', `pack_run_job-7_${TS[1]}.zip`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`: `));
    assert.equal(readFileSync(join(f.cwd, 'packs'), 'utf8'), 'not a directory');
    assert.deepEqual(listTree(f.cwd).filter((p) => p.includes('pack_') || p.endsWith('.tmp')), []);
  });

  it('a run id that normalizes to empty is refused up front: 400 invalid_input, nothing written (was a 500 after the trace)', async () => {
    const f = fixture(DIRS);
    const r = await evaluate(f, { call: call('tool.search'), run_id: '///', emit_runpack: true, emit_pack: true });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, {
      ok: false,
      error: 'request.run_id `///` normalizes to an empty run id',
      error_code: 'invalid_input',
      error_category: 'invalid_input',
      error_reason: 'input_usage',
      retryable: false,
      exit_code: 6,
    });
    assert.deepEqual(listTree(f.cwd), ['policy.yaml']);
  });

  it('a runpack dir that is gone: 500, and the service keeps answering', async () => {
    const f = fixture(DIRS);
    rmSync(join(f.cwd, 'runpacks'), { recursive: true });
    const r = await evaluate(f, { call: call('tool.search'), emit_runpack: true });
    assert.equal(r.status, 500);
    assert.equal(r.body['error_code'], 'internal_failure');
    assert.equal(existsSync(join(f.cwd, 'runpacks')), false);
    assert.equal((await evaluate(f, { call: call('tool.search') })).status, 200);
  });
});
