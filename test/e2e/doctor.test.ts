/** `gait doctor` in-process (artifacts.md §6): stable JSON, exit 0 pass/warn, 2 fail. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestIo } from '../helpers/cli-io.js';
import { gait, jsonLine } from './support.js';
import { POLICY } from './regress-support.js';

const PASSING_CHECKS = [
  { message: `node ${process.version} (>= 20.19 required)`, name: 'node_version', scope: 'universal', status: 'pass' },
  { message: 'workdir . is writable', name: 'workdir', scope: 'universal', status: 'pass' },
  { message: './gait-out does not exist yet and will be created on first use (artifacts)', name: 'output_dir', scope: 'universal', status: 'pass' },
  { message: '.gait does not exist yet and will be created on first use (keys and approval state)', name: 'state_dir', scope: 'universal', status: 'pass' },
  { message: 'temp directory is writable', name: 'temp_dir', scope: 'universal', status: 'pass' },
  { message: 'one key source per key', name: 'key_source_ambiguity', scope: 'universal', status: 'pass' },
  { message: 'no private key files to check', name: 'key_permissions', scope: 'universal', status: 'pass' },
  { message: 'dev mode: the key pair .gait/keys/ is created on first use', name: 'key_config', scope: 'universal', status: 'pass' },
];

describe('gait doctor', () => {
  it('warns about a missing policy in a fresh directory, with stable JSON', async () => {
    const t = makeTestIo();
    const first = await gait(t, 'doctor', '--json');
    assert.equal(first.code, 0);
    assert.deepEqual(jsonLine(first), {
      checks: [
        ...PASSING_CHECKS,
        { fix_command: 'gait init --out .gait.yaml', message: 'no policy at .gait.yaml', name: 'policy', scope: 'universal', status: 'warn' },
        { message: 'no regress config (gait.yaml) yet', name: 'regress_config', scope: 'universal', status: 'pass' },
      ],
      correlation_id: 'cid-test',
      created_at: '2026-02-05T00:00:00Z',
      fix_commands: ['gait init --out .gait.yaml'],
      non_fixable: false,
      ok: true,
      onboarding_mode: 'installed_binary',
      producer_version: '0.1.0',
      schema_id: 'gait.doctor.result',
      schema_version: '1.0.0',
      status: 'warn',
      summary: 'doctor: onboarding_mode=installed_binary status=warn failed=0 warned=1 non_fixable=false',
    });
    assert.equal((await gait(t, 'doctor', '--json')).stdout, first.stdout);
  });

  it('passes with a valid policy and regress config', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, '.gait.yaml'), POLICY);
    writeFileSync(join(t.cwd, 'gait.yaml'), 'fixtures: []\n');
    const run = await gait(t, 'doctor', '--json');
    assert.equal(run.code, 0);
    const json = jsonLine(run);
    assert.equal(json['status'], 'pass');
    const checks = json['checks'] as { name: string; status: string; message: string }[];
    assert.deepEqual(checks.slice(-2).map((c) => [c.name, c.status]), [
      ['policy', 'pass'],
      ['regress_config', 'pass'],
    ]);
    assert.match(checks.at(-2)?.message ?? '', /^\.gait\.yaml is valid: default_verdict=block rules=1 digest=[0-9a-f]{64}$/);
    assert.equal(checks.at(-1)?.message, 'gait.yaml is valid: fixtures=0');
    const text = await gait(t, 'doctor', '--summary');
    assert.equal(text.stdout, 'doctor: onboarding_mode=installed_binary status=pass failed=0 warned=0 non_fixable=false\n');
  });

  it('fails (exit 2) on an invalid policy and a group-readable private key, listing the fixes', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, '.gait.yaml'), 'default_verdict: maybe\n');
    assert.equal((await gait(t, 'keys', 'init', '--out-dir', 'keys')).code, 0);
    chmodSync(join(t.cwd, 'keys/gait_private.key'), 0o644);
    const run = await gait(t, 'doctor', '--private-key', 'keys/gait_private.key', '--json');
    assert.equal(run.code, 2);
    const json = jsonLine(run);
    assert.equal(json['status'], 'fail');
    assert.equal(json['ok'], false);
    assert.deepEqual(json['fix_commands'], ['chmod 600 keys/gait_private.key', 'gait policy validate .gait.yaml --json']);
    const text = await gait(t, 'doctor', '--private-key', 'keys/gait_private.key', '--summary');
    assert.equal(text.code, 2);
    assert.match(text.stdout, /^doctor: onboarding_mode=installed_binary status=fail failed=2 warned=0 non_fixable=false\n- key_permissions: fail \(private key file is readable by group or others: keys\/gait_private.key\)\n {2}fix: chmod 600 keys\/gait_private.key\n- policy: fail \(\.gait\.yaml is invalid: /);
  });

  it('fails key_config in prod mode without a key source and flags an ambiguous source', async () => {
    const t = makeTestIo({ env: { GAIT_CORRELATION_ID: 'cid-test', K: 'x' } });
    const prod = jsonLine(await gait(t, 'doctor', '--key-mode', 'prod', '--json'));
    const keyConfig = (prod['checks'] as { name: string; status: string; message: string }[]).find((c) => c.name === 'key_config');
    assert.deepEqual(keyConfig, { fix_command: 'gait keys init --out-dir gait-out/keys', message: 'prod mode requires a private key source', name: 'key_config', scope: 'universal', status: 'fail' });
    const both = jsonLine(await gait(t, 'doctor', '--private-key', 'k', '--private-key-env', 'K', '--json'));
    const ambiguity = (both['checks'] as { name: string; status: string }[]).find((c) => c.name === 'key_source_ambiguity');
    assert.equal(ambiguity?.status, 'fail');
  });

  it('reports a source checkout of gait as repo_checkout with its extra checks', async () => {
    const run = await gait(makeTestIo({ cwd: process.cwd() }), 'doctor', '--json', '--output-dir', 'dist');
    const json = jsonLine(run);
    assert.equal(json['onboarding_mode'], 'repo_checkout');
    const names = (json['checks'] as { name: string; scope: string }[]).filter((c) => c.scope === 'repo_checkout').map((c) => c.name);
    assert.deepEqual(names, ['schema_files', 'onboarding_assets']);
  });

  it('refuses --production-readiness (not built yet)', async () => {
    const run = await gait(makeTestIo(), 'doctor', '--production-readiness', '--json');
    assert.equal(run.code, 6);
    assert.equal(jsonLine(run)['error'], 'doctor --production-readiness is not supported yet');
  });
});
