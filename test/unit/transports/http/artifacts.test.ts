/**
 * Per-request artifacts of the decision service (mcp-and-export.md §5.6): traces under the trace
 * directory with rotation by count, age and size; trust enforcement (§3.3) with the `mcp_trust`
 * object inside the signed trace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { verifyTrace } from '../../../../src/artifacts/trace/verify.js';
import { callBody, jsonOf, post, serviceFixtures, SERVE_VERIFY_KEY } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixture = serviceFixtures();

function traces(f: ServeFixture): string[] {
  return readdirSync(join(f.cwd, 'traces')).sort();
}

describe('trace retention', () => {
  it('--trace-max-count keeps the newest traces and warns with the §5.6 line', async () => {
    const f = fixture({ traceRetention: { maxCount: 2 } });
    const bodies: Record<string, unknown>[] = [];
    for (let i = 0; i < 4; i += 1) bodies.push(await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search', { args: { q: i } })))));
    await new Promise((r) => setTimeout(r, 50)); // the unlinks run in the background
    assert.deepEqual(traces(f), bodies.slice(2).map((b) => String(b['trace_path']).slice('traces/'.length)).sort());
    assert.equal(bodies[0]?.['warnings'] instanceof Array && (bodies[0]['warnings'] as string[]).some((w) => w.startsWith('retention_')), false);
    assert.ok((bodies[2]?.['warnings'] as string[]).includes('retention_trace_removed_age=0 removed_count=1'));
  });

  it('--trace-max-bytes keeps the newest traces that fit', async () => {
    const f = fixture({ traceRetention: { maxBytes: 1 } });
    const body = await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search'))));
    assert.ok((body['warnings'] as string[]).includes('retention_trace_removed_age=0 removed_count=0 removed_bytes=1'));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(traces(f), []);
  });

  it('--trace-max-age removes traces older than the limit, on the next request', async () => {
    const f = fixture({ traceRetention: { maxAgeMs: 60_000 } }, { 'traces/trace_old.json': '{}', 'traces/notes.json': '{}' }, (cwd) => {
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(cwd, 'traces', 'trace_old.json'), hourAgo, hourAgo);
      utimesSync(join(cwd, 'traces', 'notes.json'), hourAgo, hourAgo);
    });
    const body = await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search'))));
    assert.ok((body['warnings'] as string[]).includes('retention_trace_removed_age=1 removed_count=0'));
    await new Promise((r) => setTimeout(r, 50)); // the unlink runs in the background
    assert.deepEqual(traces(f), ['notes.json', String(body['trace_path']).slice('traces/'.length)].sort(), 'only trace files are retained by the trace class');
  });

  it('unique file names for identical calls in the same instant (fixed clock)', async () => {
    const f = fixture();
    const paths = new Set<string>();
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        paths.add(String((await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search')))))['trace_path']));
      }),
    );
    assert.equal(paths.size, 5);
    assert.equal(traces(f).length, 5);
  });
});

describe('trace durability (--trace-sync, ADR 0012)', () => {
  for (const traceSync of ['always', 'batched', 'never'] as const) {
    it(`${traceSync}: the whole signed trace is at trace_path when the answer arrives`, async () => {
      const f = fixture({ traceSync });
      const body = await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search'))));
      const trace = JSON.parse(readFileSync(join(f.cwd, String(body['trace_path'])), 'utf8')) as Record<string, unknown>;
      assert.equal(verifyTrace(trace, SERVE_VERIFY_KEY).ok, true);
      assert.equal(trace['trace_id'], body['trace_id']);
      assert.deepEqual(readdirSync(join(f.cwd, 'traces')).filter((n) => n.endsWith('.tmp')), []);
      assert.equal(f.service.health().sync_failures, 0);
    });
  }
});

const TRUST_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
mcp_trust:
  snapshot: trust.json
  action: require_approval
  min_score: 0.5
rules: []
`;

const SNAPSHOT = JSON.stringify({
  schema_id: 'gait.mcp.trust_snapshot',
  schema_version: '1.0.0',
  created_at: '2026-02-01T00:00:00Z',
  entries: [
    { server_id: 'fs', server_name: 'Filesystem', publisher: 'acme', status: 'trusted', updated_at: '2026-02-01T00:00:00Z', score: 0.9 },
    { server_id: 'weak', status: 'trusted', updated_at: '2026-02-01T00:00:00Z', score: 0.2 },
  ],
});

describe('MCP trust through serve (§3.3, §4 step 8)', () => {
  const trusting = fixture({ policyPath: 'trust-policy.yaml' }, { 'trust.json': SNAPSHOT, 'trust-policy.yaml': TRUST_POLICY });

  async function evaluate(server: unknown, context: Record<string, unknown> = {}): Promise<{ body: Record<string, unknown>; trace: Record<string, unknown> }> {
    const body = await jsonOf(await trusting.service.fetch(post('/v1/evaluate', { call: { name: 'tool.read', server, context } })));
    const trace = JSON.parse(readFileSync(join(trusting.cwd, String(body['trace_path'])), 'utf8')) as Record<string, unknown>;
    return { body, trace };
  }

  it('a trusted server: allow, mcp_trust_verified, the decision in the output and in the signed trace', async () => {
    const { body, trace } = await evaluate({ server_id: 'FS' });
    assert.equal(body['verdict'], 'allow');
    assert.deepEqual(body['reason_codes'], ['default_allow', 'mcp_trust_verified']);
    const expected = {
      server_id: 'fs',
      server_name: 'Filesystem',
      publisher: 'acme',
      status: 'trusted',
      decision_source: 'trust.json',
      score: 0.9,
      threshold: 0.5,
      updated_at: '2026-02-01T00:00:00Z',
      required: true,
      reason_codes: ['mcp_trust_verified'],
    };
    assert.deepEqual(body['mcp_trust'], expected);
    assert.deepEqual(trace['mcp_trust'], expected);
    assert.equal(trace['trace_id'], body['trace_id']);
    assert.equal(verifyTrace(trace, SERVE_VERIFY_KEY).ok, true);
  });

  it('below the threshold at a required risk class: enforced, require_approval, mcp_trust_policy', async () => {
    const { body, trace } = await evaluate({ server_id: 'weak' });
    assert.equal(body['verdict'], 'require_approval');
    assert.equal(body['exit_code'], 4);
    assert.deepEqual(body['reason_codes'], ['default_allow', 'mcp_trust_below_threshold']);
    assert.deepEqual(body['violations'], ['mcp_trust_policy']);
    assert.equal((body['mcp_trust'] as Record<string, unknown>)['enforced'], true);
    assert.equal(trace['verdict'], 'require_approval');
    assert.deepEqual(trace['violations'], ['mcp_trust_policy']);
    assert.equal(verifyTrace(trace, SERVE_VERIFY_KEY).ok, true);
  });

  it('no server at the default (normalized) risk class high: mcp_trust_identifier_missing, enforced', async () => {
    const { body } = await evaluate(undefined);
    assert.equal(body['verdict'], 'require_approval');
    assert.deepEqual(body['reason_codes'], ['default_allow', 'mcp_trust_identifier_missing']);
  });

  it('an unknown server at a risk class outside required_risk_classes: reasons merged, not enforced', async () => {
    const { body } = await evaluate({ server_id: 'git' }, { risk_class: 'low' });
    assert.equal(body['verdict'], 'allow');
    assert.deepEqual(body['reason_codes'], ['default_allow', 'mcp_trust_server_unknown']);
    assert.equal((body['mcp_trust'] as Record<string, unknown>)['enforced'], undefined);
  });
});
