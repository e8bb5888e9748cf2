/**
 * The approval loop through the CLI (gate.md §A9, §A10, §A12.4, D4, D5): the Gait v1 approval vector
 * (V5), `gait approve` → `gate eval --approval-token`, single use, every binding failure with its
 * reason code, the ledger failing closed, `within_ttl`, distinct approvers, and the audit record.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../../src/runtime/clock.js';
import { makeTestIo, TEST_NOW } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, modeOf, readJson, V4_PRIVATE_KEY, V4_PUBLIC_KEY, VECTORS } from './support.js';

const V5 = join(VECTORS, 'approval-token-valid');
const V5_INTENT_DIGEST = '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913';
const V1_POLICY_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';
const V5_TOKEN_ID = 'ec44f8948261811d131eb04a';
const KEYS = ['--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];

function v5Workspace(): TestIo {
  const t = makeTestIo();
  for (const f of ['policy.yaml', 'intent.json', 'approval-token.json']) copyFileSync(join(V5, f), join(t.cwd, f));
  return t;
}

const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', ...KEYS];

describe('gate eval with the Gait v1 approval token (V5)', () => {
  it('allows once with approval_granted, then refuses the replay with exit 4 (D4)', async () => {
    const t = v5Workspace();
    const first = await gait(t, ...EVAL, '--approval-token', 'approval-token.json', '--approval-public-key', V4_PUBLIC_KEY);
    assert.equal(first.code, 0);
    const out = jsonLine(first);
    assert.equal(out['verdict'], 'allow');
    assert.equal(out['intent_digest'], V5_INTENT_DIGEST);
    assert.equal(out['policy_digest'], V1_POLICY_DIGEST);
    assert.deepEqual(out['reason_codes'], ['approval_granted', 'default_require_approval']);
    assert.equal(out['approval_ref'], V5_TOKEN_ID);
    assert.deepEqual([out['required_approvals'], out['valid_approvals']], [1, 1]);
    const trace = readJson(join(t.cwd, String(out['trace_path'])));
    assert.deepEqual([trace['verdict'], trace['approval_token_ref']], ['allow', V5_TOKEN_ID]);

    const second = await gait(t, ...EVAL, '--approval-token', 'approval-token.json', '--approval-public-key', V4_PUBLIC_KEY);
    assert.equal(second.code, 4);
    const again = jsonLine(second);
    assert.equal(again['verdict'], 'require_approval');
    assert.deepEqual(again['reason_codes'], ['approval_chain_insufficient', 'approval_token_replayed', 'default_require_approval']);
    assert.deepEqual(again['violations'], ['approval_not_granted']);
    assert.equal(again['valid_approvals'], undefined);

    const listed = jsonLine(await gait(t, 'approvals', 'list', '--json'));
    assert.equal(listed['count'], 1);
    const [row] = listed['consumed'] as Record<string, unknown>[];
    assert.deepEqual([row?.['token_id'], row?.['intent_digest'], row?.['trace_id']], [V5_TOKEN_ID, V5_INTENT_DIGEST, out['trace_id']]);
  });

  it('writes a signed approval audit record (0600) that verifies, and fails when tampered', async () => {
    const t = v5Workspace();
    const run = jsonLine(await gait(t, ...EVAL, '--approval-token', 'approval-token.json', '--approval-public-key', V4_PUBLIC_KEY, '--approval-audit-out', 'audit.json'));
    assert.equal(run['approval_audit_path'], 'audit.json');
    assert.equal(modeOf(join(t.cwd, 'audit.json')), 0o600);
    const audit = readJson(join(t.cwd, 'audit.json'));
    assert.equal(audit['schema_id'], 'gait.gate.approval_audit_record');
    assert.deepEqual([audit['required_approvals'], audit['valid_approvals'], audit['approved']], [1, 1, true]);
    assert.deepEqual(audit['approvers'], ['human.reviewer']);
    const verified = await gait(t, 'approval-audit', 'verify', 'audit.json', '--public-key', V4_PUBLIC_KEY, '--json');
    assert.equal(verified.code, 0);
    assert.equal(jsonLine(verified)['signature_status'], 'verified');
    writeFileSync(join(t.cwd, 'audit.json'), JSON.stringify({ ...audit, approvers: ['mallory'] }));
    const tampered = await gait(t, 'approval-audit', 'verify', 'audit.json', '--public-key', V4_PUBLIC_KEY, '--json');
    assert.equal(tampered.code, 2);
    assert.equal(jsonLine(tampered)['error_code'], 'verification_failed');
  });
});

/** A workspace with the demo-style write policy and intent, and a token minted for them. */
async function minted(extra: string[] = [], t: TestIo = v5Workspace()): Promise<{ t: TestIo; token: Record<string, unknown> }> {
  const run = await gait(t, 'approve', '--intent-digest', V5_INTENT_DIGEST, '--policy-digest', V1_POLICY_DIGEST, '--ttl', '1h',
    '--scope', 'tool:tool.write', '--approver', 'alice', '--reason-code', 'CHG-1234', '--out', 'mine.json', '--json', ...KEYS, ...extra);
  assert.equal(run.code, 0, run.stdout);
  return { t, token: readJson(join(t.cwd, 'mine.json')) };
}

async function evalWith(t: TestIo, token: string, ...more: string[]): Promise<Record<string, unknown>> {
  return jsonLine(await gait(t, ...EVAL, '--approval-token', token, ...more));
}

describe('gait approve → gate eval', () => {
  it('mints a 0600 token whose output matches the spec fields', async () => {
    const t = v5Workspace();
    const run = jsonLine(await gait(t, 'approve', '--intent-digest', V5_INTENT_DIGEST, '--policy-digest', V1_POLICY_DIGEST,
      '--ttl', '1h30m', '--scope', 'Tool:tool.write, tool:tool.read', '--approver', 'alice', '--reason-code', 'CHG-1', '--max-ops', '2', '--json', ...KEYS));
    assert.equal(run['token_path'], `approval_${String(run['token_id'])}.json`);
    assert.equal(run['expires_at'], '2026-02-05T01:30:00Z');
    assert.deepEqual(run['scope'], ['tool:tool.read', 'tool:tool.write']);
    assert.deepEqual([run['max_ops'], run['description'], run['key_id']], [2, 'signed approval token created', '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52']);
    assert.equal(modeOf(join(t.cwd, String(run['token_path']))), 0o600);
  });

  it('grants the bound call once', async () => {
    const { t } = await minted();
    const out = await evalWith(t, 'mine.json');
    assert.deepEqual([out['verdict'], out['valid_approvals']], ['allow', 1]);
    assert.deepEqual((await evalWith(t, 'mine.json'))['reason_codes'], ['approval_chain_insufficient', 'approval_token_replayed', 'default_require_approval']);
  });

  it('refuses a changed argument: approval_token_intent_mismatch', async () => {
    const { t } = await minted();
    const intent = readJson(join(t.cwd, 'intent.json'));
    writeFileSync(join(t.cwd, 'intent.json'), JSON.stringify({ ...intent, args: { path: '/tmp/other.txt' } }));
    const out = await evalWith(t, 'mine.json');
    assert.deepEqual([out['verdict'], out['reason_codes']], ['require_approval', ['approval_chain_insufficient', 'approval_token_intent_mismatch', 'default_require_approval']]);
  });

  it('refuses a changed policy: approval_token_policy_mismatch', async () => {
    const { t } = await minted();
    writeFileSync(join(t.cwd, 'policy.yaml'), 'default_verdict: require_approval\nrules:\n  - {name: r, priority: 1, effect: require_approval, match: {tool_names: [tool.write]}}\n');
    const out = await evalWith(t, 'mine.json');
    assert.ok((out['reason_codes'] as string[]).includes('approval_token_policy_mismatch'));
    assert.equal(out['verdict'], 'require_approval');
  });

  it('refuses an expired token: approval_token_expired (wall clock ≥ expires_at)', async () => {
    const { t } = await minted();
    const later = makeTestIo({ cwd: t.cwd, clock: fixedClock({ ...TEST_NOW, seconds: TEST_NOW.seconds + 3600 }) });
    const out = jsonLine(await gait(later, ...EVAL, '--approval-token', 'mine.json'));
    assert.ok((out['reason_codes'] as string[]).includes('approval_token_expired'));
  });

  it('refuses a token signed by another key: approval_token_signature_invalid', async () => {
    const { t } = await minted();
    mkdirSync(join(t.cwd, 'k'));
    await gait(t, 'keys', 'init', '--out-dir', 'k', '--json');
    const out = await evalWith(t, 'mine.json', '--approval-public-key', 'k/gait_public.key');
    assert.ok((out['reason_codes'] as string[]).includes('approval_token_signature_invalid'));
  });

  it('refuses a token without the tool scope: approval_token_scope_mismatch', async () => {
    const t = v5Workspace();
    await gait(t, 'approve', '--intent-digest', V5_INTENT_DIGEST, '--policy-digest', V1_POLICY_DIGEST, '--ttl', '1h',
      '--scope', 'tool.write', '--approver', 'alice', '--reason-code', 'x', '--out', 'mine.json', ...KEYS);
    assert.ok(((await evalWith(t, 'mine.json'))['reason_codes'] as string[]).includes('approval_token_scope_mismatch'));
  });

  it('refuses a token for another schema as approval_token_invalid, never allow', async () => {
    const { t, token } = await minted();
    writeFileSync(join(t.cwd, 'mine.json'), JSON.stringify({ ...token, schema_id: 'gait.gate.delegation_token' }));
    const out = await evalWith(t, 'mine.json');
    assert.deepEqual([out['verdict'], (out['reason_codes'] as string[]).includes('approval_token_invalid')], ['require_approval', true]);
  });
});

describe('approval bad input and faults', () => {
  it('an unreadable or unparsable token file is exit 6 and writes nothing', async () => {
    const t = v5Workspace();
    assert.match(String(invalidInput(await gait(t, ...EVAL, '--approval-token', 'missing.json'))['error']), /cannot read approval token `missing\.json`/);
    writeFileSync(join(t.cwd, 'bad.json'), '{"schema_id": ');
    assert.equal(invalidInput(await gait(t, ...EVAL, '--approval-token', 'bad.json'))['error_reason'], 'input_json');
    assert.equal(existsSync(join(t.cwd, '.gait', 'state.db')), false);
  });

  it('approve refuses a zero or negative ttl, an empty scope and a bad digest', async () => {
    const t = v5Workspace();
    const base = ['approve', '--intent-digest', V5_INTENT_DIGEST, '--policy-digest', V1_POLICY_DIGEST, '--approver', 'a', '--reason-code', 'r', '--json', ...KEYS];
    assert.equal(invalidInput(await gait(t, ...base, '--ttl', '0s', '--scope', 'tool:x'))['error'], 'invalid --ttl, expected positive duration');
    assert.equal(invalidInput(await gait(t, ...base, '--ttl=-1h', '--scope', 'tool:x'))['error'], 'invalid --ttl, expected positive duration');
    assert.equal(invalidInput(await gait(t, ...base, '--ttl', '1h', '--scope', ' , ,'))['error'], 'scope is required');
    const badDigest = ['approve', '--intent-digest', 'abc', '--policy-digest', V1_POLICY_DIGEST, '--approver', 'a', '--reason-code', 'r', '--ttl', '1h', '--scope', 'tool:x', '--json', ...KEYS];
    assert.equal(invalidInput(await gait(t, ...badDigest))['error'], 'intent_digest must be sha256 hex');
  });

  it('a ledger that cannot be opened keeps require_approval (approval_ledger_unavailable) and burns nothing', async () => {
    const { t } = await minted();
    mkdirSync(join(t.cwd, 'state-dir'));
    const out = await evalWith(t, 'mine.json', '--state', 'state-dir');
    assert.equal(out['verdict'], 'require_approval');
    assert.deepEqual(out['reason_codes'], ['approval_chain_insufficient', 'approval_ledger_unavailable', 'default_require_approval']);
    assert.equal((await evalWith(t, 'mine.json'))['verdict'], 'allow');
  });
});

describe('approvals under --profile oss-prod', () => {
  it('requires an explicit approval verify key when tokens are given', async () => {
    const t = v5Workspace();
    writeFileSync(join(t.cwd, 'policy.yaml'), 'default_verdict: require_approval\n');
    const refused = invalidInput(await gait(t, ...EVAL, '--profile', 'oss-prod', '--approval-token', 'approval-token.json'));
    assert.equal(refused['error'], 'oss-prod profile requires explicit approval verify key (--approval-public-key/--approval-public-key-env or private key source)');
    const run = await gait(t, ...EVAL, '--profile', 'oss-prod', '--approval-token', 'approval-token.json', '--approval-public-key', V4_PUBLIC_KEY);
    assert.equal(run.code, 0);
    assert.equal(jsonLine(run)['profile'], 'oss-prod');
  });
});

describe('approval policy options', () => {
  it('approvals: {reuse: within_ttl} allows the same token again', async () => {
    const t = v5Workspace();
    writeFileSync(join(t.cwd, 'policy.yaml'), 'default_verdict: require_approval\napprovals: {reuse: within_ttl}\n');
    const digest = String(jsonLine(await gait(t, ...EVAL))['policy_digest']);
    await gait(t, 'approve', '--intent-digest', V5_INTENT_DIGEST, '--policy-digest', digest, '--ttl', '1h', '--scope', 'tool:tool.write',
      '--approver', 'a', '--reason-code', 'r', '--out', 'mine.json', ...KEYS);
    assert.equal((await evalWith(t, 'mine.json'))['verdict'], 'allow');
    assert.equal((await evalWith(t, 'mine.json'))['verdict'], 'allow');
    assert.equal(existsSync(join(t.cwd, '.gait', 'state.db')), false);
  });

  it('min_approvals 2 needs two distinct approvers', async () => {
    const t = v5Workspace();
    writeFileSync(join(t.cwd, 'policy.yaml'), 'rules:\n  - {name: two, effect: require_approval, min_approvals: 2, match: {tool_names: [tool.write]}}\n');
    const digest = String(jsonLine(await gait(t, ...EVAL))['policy_digest']);
    const mint = async (who: string, out: string): Promise<void> => {
      const run = await gait(t, 'approve', '--intent-digest', V5_INTENT_DIGEST, '--policy-digest', digest, '--ttl', '1h', '--scope', 'tool:tool.write',
        '--approver', who, '--reason-code', `r-${out}`, '--out', out, ...KEYS);
      assert.equal(run.code, 0);
    };
    await mint('alice', 'a1.json');
    await mint('alice', 'a2.json');
    await mint('bob', 'b1.json');
    const same = await evalWith(t, 'a1.json', '--approval-token-chain', 'a2.json');
    assert.deepEqual([same['verdict'], same['reason_codes']], ['require_approval', ['approval_distinct_approvers_required', 'matched_rule_two']]);
    const distinct = await evalWith(t, 'a1.json', '--approval-token-chain', 'b1.json');
    assert.deepEqual([distinct['verdict'], distinct['valid_approvals'], distinct['required_approvals']], ['allow', 2, 2]);
    const audit = readJson(join(t.cwd, String(distinct['approval_audit_path'])));
    assert.deepEqual(audit['approvers'], ['alice', 'bob']);
  });
});

describe('--context-envelope', () => {
  it('is accepted and an escaping path is refused', async () => {
    const t = v5Workspace();
    assert.equal(invalidInput(await gait(t, ...EVAL, '--context-envelope', '../x.json'))['error'], 'context envelope path must be a local filesystem path');
    assert.equal(readFileSync(join(t.cwd, 'intent.json'), 'utf8').length > 0, true);
  });
});
