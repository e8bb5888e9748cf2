/**
 * Policy reload of the decision service (mcp-and-export.md §5.3): digest-change reload, a broken new
 * policy keeps the old one (logged, /healthz stale), strict mode refuses to evaluate, in-flight
 * requests keep their policy, and the trust snapshot follows the same rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callBody, jsonOf, post, serviceFixtures, SERVE_POLICY } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixture = serviceFixtures();

/** Replaces the policy file and moves its mtime, so a stat sees the change even within one timestamp tick. */
function replacePolicy(f: ServeFixture, text: string, bump = 1): void {
  const tmp = join(f.cwd, 'policy.yaml.new');
  writeFileSync(tmp, text);
  renameSync(tmp, join(f.cwd, 'policy.yaml'));
  const t = new Date(Date.UTC(2026, 1, 5) + bump * 1000);
  utimesSync(join(f.cwd, 'policy.yaml'), t, t);
}

async function health(f: ServeFixture): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await f.service.fetch(new Request('http://127.0.0.1/healthz'));
  return { status: res.status, body: await jsonOf(res) };
}

async function verdictOf(f: ServeFixture, tool: string): Promise<unknown> {
  return (await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody(tool)))))['verdict'];
}

const ALLOW_ALL = 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\nrules: []\n';

describe('policy reload on digest change', () => {
  it('replaces the policy atomically when the new file parses; /healthz shows the new digest', async () => {
    const f = fixture();
    const before = (await health(f)).body['policy_digest'];
    assert.equal(await verdictOf(f, 'tool.write'), 'block');
    replacePolicy(f, ALLOW_ALL);
    assert.equal(f.service.checkPolicy(), true);
    const after1 = await health(f);
    assert.notEqual(after1.body['policy_digest'], before);
    assert.equal(after1.body['policy_status'], 'current');
    assert.equal(await verdictOf(f, 'tool.write'), 'allow');
    assert.equal(f.logs.at(-1)?.kind, 'policy_reloaded');
  });

  it('does nothing when only the mtime changed (same digest)', async () => {
    const f = fixture();
    replacePolicy(f, SERVE_POLICY);
    assert.equal(f.service.checkPolicy(), false);
    assert.deepEqual(f.logs, []);
  });

  it('a policy replaced by garbage keeps the old one, logs policy_reload_failed once, /healthz stale with the reason', async () => {
    const f = fixture();
    const digest = (await health(f)).body['policy_digest'];
    replacePolicy(f, 'rules: [\n  - {name: broken\n');
    assert.equal(f.service.checkPolicy(), false);
    assert.equal(await verdictOf(f, 'tool.search'), 'allow', 'still evaluating with the last valid policy');
    const h = await health(f);
    assert.equal(h.status, 200);
    assert.equal(h.body['policy_status'], 'stale');
    assert.equal(h.body['policy_digest'], digest);
    assert.match(String(h.body['policy_error']), /^policy\.yaml:\d+:\d+: /);
    assert.equal(f.logs.length, 1);
    const event = f.logs[0];
    assert.equal(event?.kind, 'policy_reload_failed');
    assert.match(event?.kind === 'policy_reload_failed' ? event.fileDigest : '', /^[0-9a-f]{64}$/);
    replacePolicy(f, 'rules: [\n  - {name: broken\n', 2);
    f.service.checkPolicy();
    assert.equal(f.logs.length, 1, 'the same rejected file is not logged again');
    replacePolicy(f, ALLOW_ALL, 3);
    assert.equal(f.service.checkPolicy(), true);
    assert.equal((await health(f)).body['policy_status'], 'current');
    assert.equal((await health(f)).body['policy_error'], undefined);
  });

  it('a policy that parses but does not validate (unknown field, Part B feature, profile) is rejected the same way', async () => {
    const f = fixture();
    for (const [i, text] of [
      'schema_id: gait.gate.policy\nschema_version: 1.0.0\nrulez: []\n',
      'schema_id: gait.gate.policy\nschema_version: 1.0.0\nrules:\n  - name: r\n    effect: allow\n    rate_limit: {requests: 5, window: minute}\n',
    ].entries()) {
      replacePolicy(f, text, i + 1);
      assert.equal(f.service.checkPolicy(), false);
      assert.equal((await health(f)).body['policy_status'], 'stale');
      assert.equal(await verdictOf(f, 'tool.write'), 'block');
    }
    const prod = fixture({ profile: 'oss-prod' }, {});
    replacePolicy(prod, ALLOW_ALL);
    prod.service.checkPolicy();
    assert.match(String((await health(prod)).body['policy_error']), /oss-prod profile rejects policy default_verdict=allow/);
  });

  it('a deleted policy file keeps the old policy', async () => {
    const f = fixture();
    rmSync(join(f.cwd, 'policy.yaml'));
    f.service.checkPolicy();
    assert.equal((await health(f)).body['policy_status'], 'stale');
    assert.match(String((await health(f)).body['policy_error']), /^cannot read policy `policy\.yaml`: no such file$/);
    assert.equal(await verdictOf(f, 'tool.search'), 'allow');
  });

  it('--policy-reload-strict: an invalid new policy makes evaluation 500 policy_unavailable and /healthz 503', async () => {
    const f = fixture({ policyReloadStrict: true });
    replacePolicy(f, 'not: [valid');
    f.service.checkPolicy();
    const res = await f.service.fetch(post('/v1/evaluate', callBody('tool.search')));
    assert.equal(res.status, 500);
    const body = await jsonOf(res);
    assert.equal(body['error_code'], 'policy_unavailable');
    assert.match(String(body['error']), /^policy unavailable: policy\.yaml:/);
    const h = await health(f);
    assert.equal(h.status, 503);
    assert.equal(h.body['ok'], false);
    assert.equal(h.body['policy_digest'], '');
    replacePolicy(f, SERVE_POLICY, 2);
    f.service.checkPolicy();
    assert.equal((await health(f)).status, 200);
    assert.equal(await verdictOf(f, 'tool.search'), 'allow');
  });

  it('an in-flight request finishes on the policy it started with', async () => {
    const f = fixture();
    let release: (() => void) | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"call":{"name":"tool.write"'));
        release = () => {
          controller.enqueue(new TextEncoder().encode('}}'));
          controller.close();
        };
      },
    });
    const pending = f.service.fetch(new Request('http://127.0.0.1/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit));
    await new Promise((r) => setTimeout(r, 10));
    replacePolicy(f, ALLOW_ALL);
    assert.equal(f.service.checkPolicy(), true, 'reloaded while the request body is still arriving');
    release?.();
    assert.equal((await jsonOf(await pending))['verdict'], 'block');
    assert.equal(await verdictOf(f, 'tool.write'), 'allow');
  });
});

describe('watching (file-system watch plus stat fallback)', () => {
  it('notices a replaced policy without an explicit check', async () => {
    const f = fixture({ watchPolicy: true, policyPollMs: 50 });
    replacePolicy(f, ALLOW_ALL);
    const deadline = Date.now() + 3000;
    while ((await verdictOf(f, 'tool.write')) !== 'allow') {
      assert.ok(Date.now() < deadline, 'reloaded within 3 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});

const TRUST_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
mcp_trust:
  snapshot: trust.json
  action: block
rules: []
`;

function snapshot(status: string): string {
  return JSON.stringify({ schema_id: 'gait.mcp.trust_snapshot', schema_version: '1.0.0', entries: [{ server_id: 'fs', status, updated_at: '2026-02-01T00:00:00Z' }] });
}

async function trustOf(f: ServeFixture): Promise<Record<string, unknown>> {
  return jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.read', { server: { server_id: 'fs' } }))));
}

describe('trust snapshot reload', () => {
  it('a changed snapshot is reloaded; a broken one keeps the last good snapshot and shows stale on /healthz', async () => {
    const f = fixture({}, { 'trust.json': snapshot('trusted') });
    replacePolicy(f, TRUST_POLICY);
    f.service.checkPolicy();
    assert.equal((await trustOf(f))['verdict'], 'allow');
    assert.equal((await health(f)).body['trust_snapshot_status'], 'current');
    writeFileSync(join(f.cwd, 'trust.json'), snapshot('revoked'));
    utimesSync(join(f.cwd, 'trust.json'), new Date(Date.UTC(2026, 1, 6)), new Date(Date.UTC(2026, 1, 6)));
    f.service.checkPolicy();
    const revoked = await trustOf(f);
    assert.equal(revoked['verdict'], 'block');
    assert.deepEqual(revoked['reason_codes'], ['default_allow', 'mcp_trust_status_untrusted']);
    writeFileSync(join(f.cwd, 'trust.json'), '{broken');
    utimesSync(join(f.cwd, 'trust.json'), new Date(Date.UTC(2026, 1, 7)), new Date(Date.UTC(2026, 1, 7)));
    f.service.checkPolicy();
    const h = await health(f);
    assert.equal(h.body['trust_snapshot_status'], 'stale');
    assert.match(String(h.body['trust_snapshot_error']), /^cannot parse trust snapshot `trust\.json`/);
    assert.equal(f.logs.at(-1)?.kind, 'trust_snapshot_reload_failed');
    assert.deepEqual((await trustOf(f))['reason_codes'], ['default_allow', 'mcp_trust_status_untrusted'], 'kept the last good snapshot');
  });
});
