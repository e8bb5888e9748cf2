/**
 * `gait gate eval` in-process (gate.md §A12.3, §A7.2, §A13): the Gait v1 integration vector byte for
 * byte, verdict exit codes, the one-line sorted JSON output and the signed trace file on disk.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import {
  assertTraceSignedBy,
  gait,
  INTEGRATION,
  jsonLine,
  modeOf,
  readJson,
  shortIdOf,
  traceFiles,
  V1_POLICY_DIGEST,
  V2_POLICY_DIGEST,
  V3_INTENT_DIGEST,
  V3_TRACE_ID,
  V4_PRIVATE_KEY,
  V4_PUBLIC_KEY,
  workspace,
} from './support.js';

const PROD_KEY = ['--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];
const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json'];
/** sha256 of the V1-shaped payload with `"DefaultVerdict":"allow"` (computed with sha256sum, not by gait) */
const ALLOW_ALL_DIGEST = '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f';
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;

describe('gait gate eval: Gait v1 integration vector', () => {
  it('reproduces the golden trace_id, digests, verdict, reasons and violations; exit 3', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, '--json', ...PROD_KEY);
    assert.equal(run.code, 3);
    assert.equal(run.stderr, '');
    const out = jsonLine(run);
    assert.deepEqual(out, {
      correlation_id: 'cid-test',
      intent_digest: V3_INTENT_DIGEST,
      matched_rule: 'block-external-host',
      ok: true,
      phase: 'apply',
      policy_digest: V2_POLICY_DIGEST,
      profile: 'standard',
      reason_codes: ['blocked_external'],
      trace_id: V3_TRACE_ID,
      trace_path: `trace_${V3_TRACE_ID}.json`,
      verdict: 'block',
      violations: ['external_target'],
    });
    // The committed golden file agrees with the README values used above.
    const golden = readJson(join(INTEGRATION, 'gate_eval_trace_verify.golden.json'));
    for (const key of ['trace_id', 'intent_digest', 'policy_digest', 'verdict', 'reason_codes', 'violations']) {
      assert.deepEqual((out as Record<string, unknown>)[key], golden[key], key);
    }
    assert.equal(shortIdOf(`${V2_POLICY_DIGEST}:${V3_INTENT_DIGEST}:block`), V3_TRACE_ID);
  });

  it('writes trace_<id>.json 0600 as 2-space JSON plus newline, within the trace schema, signed over JCS', async () => {
    const t = workspace();
    assert.equal((await gait(t, ...EVAL, '--json', ...PROD_KEY)).code, 3);
    assert.deepEqual(traceFiles(t.cwd), [`trace_${V3_TRACE_ID}.json`]);
    const path = join(t.cwd, `trace_${V3_TRACE_ID}.json`);
    assert.equal(modeOf(path), 0o600);
    const text = readFileSync(path, 'utf8');
    const trace = JSON.parse(text) as Record<string, unknown>;
    assert.equal(text, `${JSON.stringify(trace, null, 2)}\n`);
    assert.deepEqual(Object.keys(trace).sort(), [
      'args_digest', 'correlation_id', 'created_at', 'event_id', 'intent_digest', 'observed_at', 'policy_digest', 'policy_id',
      'policy_version', 'producer_version', 'relationship', 'schema_id', 'schema_version', 'signature', 'tool_name', 'trace_id',
      'verdict', 'violations',
    ]);
    assert.equal(trace['schema_id'], 'gait.gate.trace');
    assert.equal(trace['schema_version'], '1.0.0');
    assert.equal(trace['created_at'], '2026-02-05T00:00:00Z');
    assert.equal(trace['observed_at'], '2026-02-05T00:00:00Z');
    assert.equal(trace['producer_version'], PACKAGE_VERSION);
    assert.equal(trace['trace_id'], V3_TRACE_ID);
    assert.equal(trace['event_id'], shortIdOf(`${V3_TRACE_ID}:2026-02-05T00:00:00Z`));
    assert.equal(trace['correlation_id'], 'cid-test');
    assert.equal(trace['tool_name'], 'tool.write');
    assert.equal(trace['args_digest'], createHash('sha256').update(canonicalize({ path: '/tmp/out.txt' }) ?? '').digest('hex'));
    assert.equal(trace['intent_digest'], V3_INTENT_DIGEST);
    assert.equal(trace['policy_digest'], V2_POLICY_DIGEST);
    assert.equal(trace['policy_id'], 'gait.gate.policy');
    assert.equal(trace['policy_version'], '1.0.0');
    assert.equal(trace['verdict'], 'block');
    assert.deepEqual(trace['violations'], ['external_target']);
    assertTraceSignedBy(trace, V4_PUBLIC_KEY);
  });

  it('builds the §A7.3 relationship envelope for the trace', async () => {
    const t = workspace();
    await gait(t, ...EVAL, ...PROD_KEY);
    const trace = readJson(join(t.cwd, `trace_${V3_TRACE_ID}.json`));
    assert.deepEqual(trace['relationship'], {
      entity_refs: [
        { kind: 'agent', id: 'alice' },
        { kind: 'policy', id: V2_POLICY_DIGEST },
        { kind: 'tool', id: 'tool.write' },
        { kind: 'trace', id: V3_TRACE_ID },
      ],
      policy_ref: { policy_id: 'gait.gate.policy', policy_version: '1.0.0', policy_digest: V2_POLICY_DIGEST },
      agent_chain: [{ identity: 'alice', role: 'requester' }],
      edges: [
        { kind: 'calls', from: { kind: 'agent', id: 'alice' }, to: { kind: 'tool', id: 'tool.write' } },
        { kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: V2_POLICY_DIGEST } },
      ],
      related_entity_ids: [V3_TRACE_ID, 'alice', V2_POLICY_DIGEST, 'tool.write'],
    });
  });

  it('prints the human lines without --json', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, ...PROD_KEY);
    assert.equal(run.code, 3);
    assert.equal(
      run.stdout,
      `gate eval: verdict=block\ntrace: trace_${V3_TRACE_ID}.json\nreasons: blocked_external\nviolations: external_target\n`,
    );
    assert.equal(run.stderr, '');
  });
});

describe('gait gate eval: verdict exit codes', () => {
  it('exits 4 for require_approval with the missing-approval reasons, signed with that verdict', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'v1.yaml'), 'default_verdict: require_approval\n');
    const run = await gait(t, 'gate', 'eval', '--policy', 'v1.yaml', '--intent', 'intent.json', '--json', ...PROD_KEY);
    assert.equal(run.code, 4);
    const traceId = shortIdOf(`${V1_POLICY_DIGEST}:${V3_INTENT_DIGEST}:require_approval`);
    assert.deepEqual(jsonLine(run), {
      approval_audit_path: `approval_audit_${traceId}.json`,
      correlation_id: 'cid-test',
      intent_digest: V3_INTENT_DIGEST,
      ok: true,
      phase: 'apply',
      policy_digest: V1_POLICY_DIGEST,
      profile: 'standard',
      reason_codes: ['approval_token_missing', 'default_require_approval'],
      required_approvals: 1,
      trace_id: traceId,
      trace_path: `trace_${traceId}.json`,
      verdict: 'require_approval',
      violations: ['approval_not_granted'],
    });
    const trace = readJson(join(t.cwd, `trace_${traceId}.json`));
    assert.equal(trace['verdict'], 'require_approval');
    assert.deepEqual(trace['violations'], ['approval_not_granted']);
    const human = await gait(t, 'gate', 'eval', '--policy', 'v1.yaml', '--intent', 'intent.json', ...PROD_KEY);
    assert.equal(human.code, 4);
    assert.match(human.stdout, /\napprovals: 0\/1\napproval audit: approval_audit_[0-9a-f]{24}\.json\n$/);
  });

  it('exits 0 for allow and for dry_run', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'allow.yaml'), 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\n');
    writeFileSync(join(t.cwd, 'dry.yaml'), 'default_verdict: dry_run\n');
    const allowed = await gait(t, 'gate', 'eval', '--policy', 'allow.yaml', '--intent', 'intent.json', '--json', ...PROD_KEY);
    assert.equal(allowed.code, 0);
    const allowJson = jsonLine(allowed);
    assert.equal(allowJson['verdict'], 'allow');
    assert.equal(allowJson['policy_digest'], ALLOW_ALL_DIGEST);
    assert.deepEqual(allowJson['reason_codes'], ['default_allow']);
    assert.equal(allowJson['violations'], undefined);
    assert.equal(allowJson['trace_id'], shortIdOf(`${ALLOW_ALL_DIGEST}:${V3_INTENT_DIGEST}:allow`));
    const dry = await gait(t, 'gate', 'eval', '--policy', 'dry.yaml', '--intent', 'intent.json', '--json', ...PROD_KEY);
    assert.equal(dry.code, 0);
    const dryJson = jsonLine(dry);
    assert.equal(dryJson['verdict'], 'dry_run');
    assert.deepEqual(dryJson['reason_codes'], ['default_dry_run']);
    assert.equal(traceFiles(t.cwd).length, 2);
  });
});

describe('gait gate eval: JSON output members', () => {
  it('passes the prepared identity context through (auth_context without context_age_seconds, scopes, fingerprint)', async () => {
    const t = workspace();
    const intent = readJson(join(INTEGRATION, 'intent.json'));
    intent['context'] = {
      ...(intent['context'] as Record<string, unknown>),
      auth_context: { tenant: ' acme ', context_age_seconds: 30 },
      credential_scopes: ['repo:write', ' repo:read', 'repo:write'],
      environment_fingerprint: ' fp-1 ',
    };
    writeFileSync(join(t.cwd, 'intent.json'), JSON.stringify(intent));
    const out = jsonLine(await gait(t, ...EVAL, '--json', ...PROD_KEY));
    assert.deepEqual(out['auth_context'], { tenant: 'acme' });
    assert.deepEqual(out['credential_scopes'], ['repo:read', 'repo:write']);
    assert.equal(out['environment_fingerprint'], 'fp-1');
    assert.notEqual(out['intent_digest'], V3_INTENT_DIGEST);
    assert.equal(out['trace_id'], shortIdOf(`${V2_POLICY_DIGEST}:${String(out['intent_digest'])}:block`));
  });

  it('accepts single-dash and --name=value flags (§A12.1)', async () => {
    const t = workspace();
    const run = await gait(t, 'gate', 'eval', '-policy=policy.yaml', '-intent', 'intent.json', '-json', '-key-mode=prod', `--private-key=${V4_PRIVATE_KEY}`);
    assert.equal(run.code, 3);
    assert.equal(jsonLine(run)['trace_id'], V3_TRACE_ID);
  });

  it('--explain prints one line and writes nothing; --help exits 0', async () => {
    const t = workspace();
    const explained = await gait(t, 'gate', 'eval', '--explain');
    assert.equal(explained.code, 0);
    assert.match(explained.stdout, /^[^\n]+\n$/);
    const help = await gait(t, 'gate', 'eval', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--policy <path>/);
    assert.deepEqual(traceFiles(t.cwd), []);
  });
});
