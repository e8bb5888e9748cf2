/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON documents in place */
/**
 * `gait run record` in-process (artifacts.md §2.5, §2.14 V3, §1.2 keys, §1.5 file output).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gait, invalidInput, jsonLine, keyIdOfPublicKeyFile, modeOf, V4_KEY_ID, V4_PRIVATE_KEY } from './support.js';
import { record, recordWorkspace, sha256, unzipIndependently, V3_MANIFEST_DIGEST } from './runpack/fixtures.js';

describe('gait run record: the V3 test-kit input', () => {
  it('writes ./gait-out/runpack_run_tck.zip with the V3 entry hashes and manifest digest', async () => {
    const t = recordWorkspace();
    const run = await record(t);
    assert.equal(run.code, 0, run.stdout);
    const out = jsonLine(run);
    assert.deepEqual(out, {
      bundle: './gait-out/runpack_run_tck.zip',
      correlation_id: 'cid-test',
      manifest_digest: V3_MANIFEST_DIGEST,
      ok: true,
      run_id: 'run_tck',
      signature_status: 'missing',
      ticket_footer: `GAIT run_id=run_tck manifest=sha256:${V3_MANIFEST_DIGEST} verify="gait verify run_tck"`,
      warnings: ['reference capture stripped raw intent arguments and raw result payloads after digesting'],
    });
    const path = join(t.cwd, 'gait-out', 'runpack_run_tck.zip');
    assert.equal(modeOf(path), 0o600);
    assert.equal(statSync(join(t.cwd, 'gait-out')).mode & 0o777, 0o750);
    const entries = await unzipIndependently(readFileSync(path));
    assert.deepEqual([...entries.keys()], ['intents.jsonl', 'manifest.json', 'refs.json', 'results.jsonl', 'run.json']);
    assert.equal(sha256(entries.get('intents.jsonl')!), '0160b41852efb91e8b05fabf4f5559bdf7eeb245c0c87522587089a9f75918f9');
    assert.equal(sha256(entries.get('refs.json')!), '3efeb53ba886c76ca6314f59cc44c7c0552783dadd88093efc7f004d73086194');
    assert.equal(sha256(entries.get('results.jsonl')!), 'e539da71ab682e9af1641e50db94991c7bc6ea890c0d692e8251256887c314a1');
    assert.equal(sha256(entries.get('run.json')!), '09ac0a89082fb627d71cec05ed1231679f4f6f6a2b0bdea0e1a7d1806d6c04ba');
    const refs = JSON.parse(entries.get('refs.json')!.toString()) as Record<string, unknown>;
    assert.deepEqual([refs['context_evidence_mode'], refs['context_ref_count']], ['best_effort', 1]);
    assert.equal(existsSync(join(t.cwd, '.gait')), false, 'no dev key pair is created without --key-mode');
  });

  it('prints key=value lines without --json', async () => {
    const t = recordWorkspace();
    const run = await gait(t, 'run', 'record', '--input', 'run_record.json');
    assert.equal(run.code, 0);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      'run_id=run_tck',
      'bundle=./gait-out/runpack_run_tck.zip',
      'signature_status=missing',
      'warnings=reference capture stripped raw intent arguments and raw result payloads after digesting',
      `ticket_footer=GAIT run_id=run_tck manifest=sha256:${V3_MANIFEST_DIGEST} verify="gait verify run_tck"`,
    ]);
  });
});

describe('gait run record: signing (§1.2)', () => {
  it('signs with --key-mode prod --private-key and reports the key id', async () => {
    const t = recordWorkspace();
    const out = jsonLine(await record(t, '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY));
    assert.deepEqual([out['signature_status'], out['signature_key_id'], out['manifest_digest']], ['signed', V4_KEY_ID, V3_MANIFEST_DIGEST]);
    const manifest = JSON.parse((await unzipIndependently(readFileSync(join(t.cwd, 'gait-out/runpack_run_tck.zip')))).get('manifest.json')!.toString()) as Record<string, any>;
    assert.equal(manifest['signatures'][0].key_id, V4_KEY_ID);
  });

  it('--key-mode dev creates the development pair and warns; later records use it without flags', async () => {
    const t = recordWorkspace();
    const first = jsonLine(await record(t, '--key-mode', 'dev'));
    assert.equal(first['signature_status'], 'signed');
    assert.match(String((first['warnings'] as string[])[1]), /^dev mode: using local development signing key /);
    const keyId = keyIdOfPublicKeyFile(join(t.cwd, '.gait/keys/dev_public.key'));
    assert.equal(first['signature_key_id'], keyId);
    const second = jsonLine(await record(t));
    assert.deepEqual([second['signature_status'], second['signature_key_id']], ['signed', keyId]);
  });

  it('--key-mode none writes unsigned even when the dev pair exists', async () => {
    const t = recordWorkspace();
    await record(t, '--key-mode', 'dev');
    assert.equal(jsonLine(await record(t, '--key-mode', 'none'))['signature_status'], 'missing');
  });
});

describe('gait run record: input handling', () => {
  it('--run-id overrides every record, --out-dir chooses the directory, --capture-mode raw keeps payloads', async () => {
    const t = recordWorkspace();
    const out = jsonLine(await record(t, '--run-id', 'run_other', '--out-dir', 'evidence', '--capture-mode', 'raw'));
    assert.equal(out['bundle'], './evidence/runpack_run_other.zip');
    assert.deepEqual(out['warnings'], ['raw capture retains raw intent arguments and raw result payloads; handle runpack as sensitive evidence']);
    const entries = await unzipIndependently(readFileSync(join(t.cwd, 'evidence/runpack_run_other.zip')));
    for (const name of ['intents.jsonl', 'results.jsonl', 'refs.json', 'run.json']) assert.ok(entries.get(name)!.toString().includes('"run_id":"run_other"'), name);
    assert.ok(entries.get('intents.jsonl')!.toString().includes('"args":{"message":"hello"}'));
  });

  it('refuses a missing run id, a bad capture mode, an unsafe run id and a traversing --out-dir (exit 6)', async () => {
    const t = recordWorkspace({ run: { created_at: '2026-02-14T00:00:00Z' } });
    assert.equal(invalidInput(await record(t))['error'], 'input run.run_id is required (or set --run-id)');
    assert.equal(invalidInput(await record(t, '--run-id', 'r', '--capture-mode', 'full'))['error'], 'capture mode must be one of: reference, raw');
    assert.match(String(invalidInput(await record(t, '--run-id', '../../x'))['error']), /cannot name a file/);
    assert.equal(invalidInput(await record(t, '--run-id', 'r', '--out-dir', '../outside'))['error'], 'relative paths must not traverse parent directories');
  });

  it('reports pipeline errors with the spec messages (exit 6)', async () => {
    const t = recordWorkspace({ intents: [{ intent_id: 'intent_1', tool_name: 'echo' }] });
    assert.equal(invalidInput(await record(t))['error'], 'intent intent_1 requires args_digest or normalization.intent_args');
  });

  it('required evidence mode needs a context_set_digest', async () => {
    const t = recordWorkspace();
    assert.equal(invalidInput(await record(t, '--context-evidence-mode', 'required'))['error'], 'context evidence mode required but context_set_digest is missing');
  });
});

describe('gait run record: --context-envelope (§2.5 step 4)', () => {
  const envelope = (redaction = 'reference') => ({
    schema_id: 'gait.context.envelope',
    schema_version: '1.0.0',
    created_at: '2026-02-14T00:00:00Z',
    producer_version: '0.0.0-dev',
    context_set_id: 'ctx_1',
    evidence_mode: 'best_effort',
    records: ['b', 'a'].map((n) => ({
      ref_id: `ctx_${n}`,
      source_type: 'doc',
      source_locator: `docs/${n}.md`,
      query_digest: n.repeat(64),
      content_digest: 'c'.repeat(64),
      retrieved_at: '2026-02-14T00:00:00Z',
      redaction_mode: redaction,
      immutability: 'immutable',
    })),
  });

  it('replaces the receipts and sets digest, mode and count; required mode then succeeds', async () => {
    const t = recordWorkspace();
    writeFileSync(join(t.cwd, 'env.json'), JSON.stringify(envelope()));
    const run = await record(t, '--context-envelope', 'env.json', '--context-evidence-mode', 'required');
    assert.equal(run.code, 0, run.stdout);
    const refs = JSON.parse((await unzipIndependently(readFileSync(join(t.cwd, 'gait-out/runpack_run_tck.zip')))).get('refs.json')!.toString()) as Record<string, any>;
    assert.equal(refs['context_evidence_mode'], 'required');
    assert.equal(refs['context_ref_count'], 2);
    assert.match(refs['context_set_digest'], /^[0-9a-f]{64}$/);
    assert.deepEqual(refs['receipts'].map((r: any) => r.ref_id), ['ctx_a', 'ctx_b']);
  });

  it('an unreadable envelope is a warning in best_effort mode and fatal in required mode', async () => {
    const t = recordWorkspace();
    mkdirSync(join(t.cwd, 'sub'));
    writeFileSync(join(t.cwd, 'sub/bad.json'), '{"schema_id":"gait.context.envelope","bogus":1}');
    const warned = jsonLine(await record(t, '--context-envelope', 'sub/bad.json'));
    assert.match(String((warned['warnings'] as string[]).at(-1)), /^context envelope ignored: parse context envelope: unknown member `bogus`/);
    invalidInput(await record(t, '--context-envelope', 'sub/bad.json', '--context-evidence-mode', 'required'));
  });

  it('raw redaction needs --unsafe-context-raw', async () => {
    const t = recordWorkspace();
    writeFileSync(join(t.cwd, 'env.json'), JSON.stringify(envelope('raw')));
    assert.match(String(invalidInput(await record(t, '--context-envelope', 'env.json'))['error']), /redaction_mode raw; pass --unsafe-context-raw/);
    assert.equal((await record(t, '--context-envelope', 'env.json', '--unsafe-context-raw')).code, 0);
  });
});
