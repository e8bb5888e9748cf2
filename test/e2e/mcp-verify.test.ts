/**
 * `gait mcp verify` (mcp-and-export.md §3.4) and the legacy `gait mcp-verify` (§10.2), in-process
 * with the fixed test clock (2026-02-05T00:00:00Z): output members, verdicts and exit codes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine } from './support.js';

const TRUST_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: block
mcp_trust:
  snapshot: trust.json
  action: require_approval
  max_age: 168h
  publisher_allowlist: [acme]
rules: []
`;

const SNAPSHOT = {
  schema_id: 'gait.mcp.trust_snapshot',
  schema_version: '1.0.0',
  created_at: '2026-02-01T00:00:00Z',
  entries: [
    { server_id: 'fs', server_name: 'Filesystem', publisher: 'Acme', source: 'npm', status: 'trusted', updated_at: '2026-02-01T00:00:00Z', score: 0.8 },
    { server_id: 'old', publisher: 'acme', status: 'trusted', updated_at: '2025-01-01T00:00:00Z' },
  ],
};

function setup(policy = TRUST_POLICY): TestIo {
  const t = makeTestIo();
  writeFileSync(join(t.cwd, 'policy.yaml'), policy);
  writeFileSync(join(t.cwd, 'trust.json'), JSON.stringify(SNAPSHOT));
  writeFileSync(join(t.cwd, 'fs.json'), JSON.stringify({ server_id: 'FS' }));
  writeFileSync(join(t.cwd, 'old.json'), JSON.stringify({ server_id: 'old', server_name: 'Old' }));
  writeFileSync(join(t.cwd, 'unnamed.json'), JSON.stringify({ publisher: 'acme' }));
  return t;
}

describe('gait mcp verify', () => {
  it('a trusted server: exit 0, verdict allow, the decision object', async () => {
    const t = setup();
    const run = await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--server', 'fs.json', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      mcp_trust: {
        decision_source: 'trust.json',
        max_age_seconds: 604800,
        publisher: 'acme',
        publisher_allowed: true,
        reason_codes: ['mcp_trust_verified'],
        required: true,
        score: 0.8,
        server_id: 'fs',
        server_name: 'Filesystem',
        source: 'npm',
        status: 'trusted',
        updated_at: '2026-02-01T00:00:00Z',
      },
      ok: true,
      reason_codes: ['mcp_trust_verified'],
      server_id: 'fs',
      server_name: 'Filesystem',
      snapshot_path: 'trust.json',
      trust_model: 'local_snapshot',
      verdict: 'allow',
    });
  });

  it('a stale server at the default risk class (critical, the highest required): exit 4 with the action', async () => {
    const t = setup();
    const run = await gait(t, 'mcp', 'verify', 'policy.yaml', 'old.json', '--json');
    assert.equal(run.code, 4);
    const json = jsonLine(run);
    assert.equal(json['ok'], false);
    assert.equal(json['verdict'], 'require_approval');
    assert.deepEqual(json['reason_codes'], ['mcp_trust_stale']);
    assert.deepEqual(json['violations'], ['mcp_trust_policy']);
    assert.equal((json['mcp_trust'] as Record<string, unknown>)['status'], 'stale');
    assert.equal(json['error'], undefined, 'a trust outcome is not an error envelope');
  });

  it('--risk-class outside required_risk_classes: not enforced, exit 0', async () => {
    const t = setup();
    const run = await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--server', 'old.json', '--risk-class', 'LOW');
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'mcp verify: verdict=allow\ntrust: status=stale reasons=mcp_trust_stale\n');
  });

  it('action block exits 3; a missing snapshot is mcp_trust_snapshot_unavailable', async () => {
    const t = setup(TRUST_POLICY.replace('action: require_approval', 'action: block').replace('trust.json', 'gone.json'));
    const run = await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--server', 'fs.json', '--json');
    assert.equal(run.code, 3);
    const json = jsonLine(run);
    assert.equal(json['verdict'], 'block');
    assert.deepEqual(json['reason_codes'], ['mcp_trust_snapshot_unavailable']);
    assert.equal(json['server_id'], 'FS', 'no entry found: the identity as described');
  });

  it('trust off: {ok, server_id, server_name, verdict: allow}, exit 0', async () => {
    const t = setup('schema_id: gait.gate.policy\nschema_version: 1.0.0\nrules: []\n');
    const run = await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--server', 'old.json', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), { correlation_id: 'cid-test', ok: true, server_id: 'old', server_name: 'Old', verdict: 'allow' });
  });

  it('refuses a server without id or name, missing arguments, unreadable files (exit 6)', async () => {
    const t = setup();
    assert.equal(invalidInput(await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--server', 'unnamed.json', '--json'))['error'], 'server description requires server_id or server_name');
    assert.equal(invalidInput(await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--json'))['error'], 'expected --policy <policy.yaml> and --server <server.json>');
    assert.match(String(invalidInput(await gait(t, 'mcp', 'verify', '--policy', 'policy.yaml', '--server', 'nope.json', '--json'))['error']), /^cannot read server description `nope\.json`: no such file$/);
  });

  it('the legacy `gait mcp-verify` points to `gait mcp verify`', async () => {
    const t = setup();
    const json = invalidInput(await gait(t, 'mcp-verify', '--policy', 'policy.yaml', '--server', 'fs.json', '--json'));
    assert.equal(json['error'], '`gait mcp-verify` is a legacy command; use `gait mcp verify`');
  });
});
