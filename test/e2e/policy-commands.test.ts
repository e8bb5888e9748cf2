/**
 * `gait policy init|validate|fmt|test|simulate` in-process (gate.md §A12.7): literal JSON lines,
 * exit codes, summary strings and the Gait v1 integration digests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/transports/cli/main.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';

const VECTORS = join(process.cwd(), 'test/fixtures/vectors/gait-v1/integration');
const V2_DIGEST = 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c';
const V1_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';
const V3_INTENT_DIGEST = '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8';
const ALLOW_ALL_POLICY = 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\n';
/** sha256 of the V1-shaped payload with `"DefaultVerdict":"allow"` (computed with sha256sum, not by gait) */
const ALLOW_ALL_DIGEST = '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A workspace with the integration policy and intent copied in. */
function workspace(): TestIo {
  const t = makeTestIo();
  copyFileSync(join(VECTORS, 'policy.yaml'), join(t.cwd, 'policy.yaml'));
  copyFileSync(join(VECTORS, 'intent.json'), join(t.cwd, 'intent.json'));
  return t;
}

async function gait(t: TestIo, ...args: string[]): Promise<Run> {
  const outBefore = t.out().length;
  const errBefore = t.err().length;
  const code = await runCli(args, t.io);
  return { code, stdout: t.out().slice(outBefore), stderr: t.err().slice(errBefore) };
}

/** Exactly one JSON line on stdout, parsed. */
function jsonLine(run: Run): unknown {
  assert.equal(run.stdout.endsWith('\n'), true);
  assert.equal(run.stdout.trimEnd().includes('\n'), false);
  return JSON.parse(run.stdout) as unknown;
}

function errorOf(run: Run): Record<string, unknown> {
  assert.equal(run.code, 6);
  const json = jsonLine(run) as Record<string, unknown>;
  assert.equal(json['ok'], false);
  assert.equal(json['error_code'], 'invalid_input');
  assert.equal(json['error_category'], 'invalid_input');
  assert.equal(json['correlation_id'], 'cid-test');
  return json;
}

function readIntent(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(VECTORS, 'intent.json'), 'utf8')) as Record<string, unknown>;
}

describe('gait policy validate', () => {
  it('reports the Gait v1 integration policy digest', async () => {
    const t = workspace();
    const run = await gait(t, 'policy', 'validate', 'policy.yaml', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      default_verdict: 'allow',
      ok: true,
      policy_digest: V2_DIGEST,
      rule_count: 1,
      schema_id: 'gait.gate.policy',
      schema_version: '1.0.0',
      summary: `policy validate ok: default=allow rules=1 digest=${V2_DIGEST}`,
    });
  });

  it('prints the summary line without --json and omits rule_count 0', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'v1.yaml'), 'default_verdict: require_approval\n');
    const human = await gait(t, 'policy', 'validate', 'v1.yaml');
    assert.equal(human.code, 0);
    assert.equal(human.stdout, `policy validate ok: default=require_approval rules=0 digest=${V1_DIGEST}\n`);
    const json = await gait(t, 'policy', 'validate', '--json', 'v1.yaml');
    assert.deepEqual(jsonLine(json), {
      correlation_id: 'cid-test',
      default_verdict: 'require_approval',
      ok: true,
      policy_digest: V1_DIGEST,
      schema_id: 'gait.gate.policy',
      schema_version: '1.0.0',
      summary: `policy validate ok: default=require_approval rules=0 digest=${V1_DIGEST}`,
    });
  });

  it('fails on a missing file with exit 6', async () => {
    const t = makeTestIo();
    const err = errorOf(await gait(t, 'policy', 'validate', 'missing.yaml', '--json'));
    assert.equal(err['error'], 'cannot read policy `missing.yaml`: no such file');
    assert.equal(err['error_reason'], 'input_path');
  });

  it('names file:line:col for a YAML syntax error', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'bad.yaml'), 'default_verdict: allow\nrules:\n  - name: [\n');
    const err = errorOf(await gait(t, 'policy', 'validate', 'bad.yaml', '--json'));
    assert.equal(
      err['error'],
      'bad.yaml:4:1: parse policy yaml: flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    assert.equal(err['error_location'], 'bad.yaml:4:1');
    const human = await gait(t, 'policy', 'validate', 'bad.yaml');
    assert.equal(human.code, 6);
    assert.equal(human.stdout, '');
    assert.match(human.stderr, /^policy validate error: bad\.yaml:4:1: parse policy yaml: /);
  });

  it('rejects an unknown field with its position', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'unk.yaml'), 'default_verdict: allow\nrulez: []\n');
    const err = errorOf(await gait(t, 'policy', 'validate', 'unk.yaml', '--json'));
    assert.equal(err['error'], 'unk.yaml:2:1: parse policy yaml: unknown field `rulez`');
    assert.equal(err['error_reason'], 'policy_parse');
  });

  it('refuses a file over --max-input-bytes', async () => {
    const t = workspace();
    const err = errorOf(await gait(t, 'policy', 'validate', 'policy.yaml', '--max-input-bytes', '10', '--json'));
    assert.equal(err['error_reason'], 'input_too_large');
    assert.equal(err['error'], 'cannot read policy `policy.yaml`: file is 325 bytes, over the 10-byte limit');
  });

  it('rejects an unexpected positional argument', async () => {
    const t = workspace();
    errorOf(await gait(t, 'policy', 'validate', 'policy.yaml', 'extra.yaml', '--json'));
  });
});

describe('gait policy init', () => {
  it('writes the template 0644 and prints next commands', async () => {
    const t = makeTestIo();
    const run = await gait(t, 'policy', 'init', 'baseline-lowrisk', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      next_commands: [
        'gait policy validate gait.policy.yaml --json',
        'gait policy fmt gait.policy.yaml --write --json',
        'gait doctor --json',
      ],
      ok: true,
      policy_path: 'gait.policy.yaml',
      template: 'baseline-lowrisk',
    });
    assert.equal(statSync(join(t.cwd, 'gait.policy.yaml')).mode & 0o777, 0o644);
    const validated = jsonLine(await gait(t, 'policy', 'validate', 'gait.policy.yaml', '--json')) as Record<string, unknown>;
    assert.equal(validated['default_verdict'], 'allow');
    assert.equal(validated['rule_count'], 3);
  });

  it('resolves aliases and --out, with human output', async () => {
    const t = makeTestIo();
    const run = await gait(t, 'policy', 'init', 'medium', '--out', 'policies/medium.yaml');
    assert.equal(run.code, 0);
    assert.equal(
      run.stdout,
      'policy init ok: template=baseline-mediumrisk output=policies/medium.yaml\n' +
        'next: gait policy validate policies/medium.yaml --json | gait policy fmt policies/medium.yaml --write --json | gait doctor --json\n',
    );
    const validated = jsonLine(await gait(t, 'policy', 'validate', 'policies/medium.yaml', '--json')) as Record<string, unknown>;
    assert.equal(validated['default_verdict'], 'require_approval');
    assert.equal(validated['rule_count'], 3);
  });

  it('refuses to overwrite without --force', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'gait.policy.yaml'), 'keep me\n');
    const err = errorOf(await gait(t, 'policy', 'init', 'low', '--json'));
    assert.equal(err['error'], 'policy file already exists (use --force): gait.policy.yaml');
    assert.equal(readFileSync(join(t.cwd, 'gait.policy.yaml'), 'utf8'), 'keep me\n');
    const forced = await gait(t, 'policy', 'init', 'low', '--force', '--json');
    assert.equal(forced.code, 0);
    assert.notEqual(readFileSync(join(t.cwd, 'gait.policy.yaml'), 'utf8'), 'keep me\n');
  });

  it('lists the valid names for an unknown template', async () => {
    const t = makeTestIo();
    const err = errorOf(await gait(t, 'policy', 'init', 'extreme', '--json'));
    assert.equal(err['error'], 'unknown template `extreme`: expected one of baseline-lowrisk, baseline-mediumrisk, baseline-highrisk');
  });

  it('baseline-highrisk validates with unsupported_features but policy test refuses it', async () => {
    const t = workspace();
    assert.equal((await gait(t, 'policy', 'init', 'baseline_high_risk', '--json')).code, 0);
    const validated = jsonLine(await gait(t, 'policy', 'validate', 'gait.policy.yaml', '--json')) as Record<string, unknown>;
    assert.equal(validated['ok'], true);
    assert.equal(validated['default_verdict'], 'block');
    assert.equal(validated['rule_count'], 8);
    assert.deepEqual(validated['unsupported_features'], [
      'rule `allow-delegated-egress-write`: credential_constraints (gate.md §B4)',
      'rule `allow-delegated-egress-write`: delegation_tokens (gate.md §B5)',
      'rule `destructive-budget-guard`: destructive_budget (gate.md §B6)',
      'rule `require-approval-tool-deploy`: credential_constraints (gate.md §B4)',
      'rule `require-approval-tool-deploy`: credential_broker (gate.md §B4)',
      'rule `require-approval-tool-write`: credential_constraints (gate.md §B4)',
      'rule `require-approval-tool-write`: credential_broker (gate.md §B4)',
    ]);
    const human = await gait(t, 'policy', 'validate', 'gait.policy.yaml');
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^policy validate ok: default=block rules=8 digest=[a-f0-9]{64}\nwarning: policy enables features not supported yet/);
    const refused = errorOf(await gait(t, 'policy', 'test', 'gait.policy.yaml', 'intent.json', '--json'));
    assert.equal(refused['error_reason'], 'input_unsupported_feature');
    assert.equal(refused['error_location'], 'gait.policy.yaml');
  });
});

describe('gait policy fmt', () => {
  const messy = 'default_verdict: allow\nschema_version: "1.0.0"\nrules:\n- name: block-external-host\n  effect: block\n  priority: 10\n  match: {target_values: [api.external.com], target_kinds: [host], tool_names: [tool.write]}\n  violations: [external_target]\n  reason_codes: [blocked_external]\nschema_id: gait.gate.policy\n';

  it('leaves an already formatted file unchanged', async () => {
    const t = workspace();
    const run = await gait(t, 'policy', 'fmt', 'policy.yaml', '--write', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      default_verdict: 'allow',
      ok: true,
      path: 'policy.yaml',
      policy_digest: V2_DIGEST,
      rule_count: 1,
    });
  });

  it('prints formatted YAML that re-parses to the same digest', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'messy.yaml'), messy);
    const run = await gait(t, 'policy', 'fmt', 'messy.yaml', '--json');
    const json = jsonLine(run) as Record<string, unknown>;
    assert.equal(json['changed'], true);
    assert.equal(json['written'], undefined);
    assert.equal(json['policy_digest'], V2_DIGEST);
    assert.equal(typeof json['formatted'], 'string');
    writeFileSync(join(t.cwd, 'formatted.yaml'), json['formatted'] as string);
    const validated = jsonLine(await gait(t, 'policy', 'validate', 'formatted.yaml', '--json')) as Record<string, unknown>;
    assert.equal(validated['policy_digest'], V2_DIGEST);
    const human = await gait(t, 'policy', 'fmt', 'messy.yaml');
    assert.equal(human.stdout, json['formatted']);
    assert.equal(readFileSync(join(t.cwd, 'messy.yaml'), 'utf8'), messy);
  });

  it('--write rewrites once, keeps the permission bits, and is idempotent', async () => {
    const t = makeTestIo();
    const path = join(t.cwd, 'messy.yaml');
    writeFileSync(path, messy);
    chmodSync(path, 0o640);
    const first = await gait(t, 'policy', 'fmt', 'messy.yaml', '--write', '--json');
    assert.deepEqual(jsonLine(first), {
      changed: true,
      correlation_id: 'cid-test',
      default_verdict: 'allow',
      ok: true,
      path: 'messy.yaml',
      policy_digest: V2_DIGEST,
      rule_count: 1,
      written: true,
    });
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.equal(readFileSync(path, 'utf8'), readFileSync(join(VECTORS, 'policy.yaml'), 'utf8'));
    const second = await gait(t, 'policy', 'fmt', 'messy.yaml', '--write');
    assert.equal(second.code, 0);
    assert.equal(second.stdout, 'policy fmt ok: path=messy.yaml changed=false written=false rules=1\n');
    assert.equal(statSync(path).mode & 0o777, 0o640);
  });
});

describe('gait policy test', () => {
  it('blocks the Gait v1 integration intent with exit 3', async () => {
    const t = workspace();
    const run = await gait(t, 'policy', 'test', 'policy.yaml', 'intent.json', '--json');
    assert.equal(run.code, 3);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      created_at: '2026-02-05T00:00:00Z',
      intent_digest: V3_INTENT_DIGEST,
      matched_rule: 'block-external-host',
      ok: true,
      policy_digest: V2_DIGEST,
      reason_codes: ['blocked_external'],
      schema_id: 'gait.policytest.result',
      schema_version: '1.0.0',
      summary: 'policy test verdict=block reasons=blocked_external violations=external_target',
      verdict: 'block',
      violations: ['external_target'],
    });
    const human = await gait(t, 'policy', 'test', 'policy.yaml', 'intent.json');
    assert.equal(human.code, 3);
    assert.equal(human.stdout, 'policy test verdict=block reasons=blocked_external violations=external_target\n');
  });

  it('exits 4 for require_approval and 0 for allow', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'v1.yaml'), 'default_verdict: require_approval\n');
    const approval = await gait(t, 'policy', 'test', 'v1.yaml', 'intent.json', '--json');
    assert.equal(approval.code, 4);
    assert.deepEqual(jsonLine(approval), {
      correlation_id: 'cid-test',
      created_at: '2026-02-05T00:00:00Z',
      intent_digest: V3_INTENT_DIGEST,
      ok: true,
      policy_digest: V1_DIGEST,
      reason_codes: ['default_require_approval'],
      schema_id: 'gait.policytest.result',
      schema_version: '1.0.0',
      summary: 'policy test verdict=require_approval reasons=default_require_approval violations=none',
      verdict: 'require_approval',
    });
    writeFileSync(join(t.cwd, 'allow.yaml'), ALLOW_ALL_POLICY);
    const allowed = await gait(t, 'policy', 'test', 'allow.yaml', 'intent.json');
    assert.equal(allowed.code, 0);
    assert.equal(allowed.stdout, 'policy test verdict=allow reasons=default_allow violations=none\n');
  });

  it('cuts a summary over 240 bytes and marks the overflow', async () => {
    const t = workspace();
    const a = 'a'.repeat(150);
    const b = 'b'.repeat(150);
    writeFileSync(
      join(t.cwd, 'long.yaml'),
      `default_verdict: allow\nrules:\n  - name: long\n    priority: 1\n    effect: block\n    match: {tool_names: [tool.write]}\n    reason_codes: [${a}, ${b}]\n    violations: [v]\n`,
    );
    const json = jsonLine(await gait(t, 'policy', 'test', 'long.yaml', 'intent.json', '--json')) as Record<string, unknown>;
    // raw = 34 + 301 + 13 = 348 bytes: overflow 108, suffix `...(+108)` (9), keep 231 bytes
    const expected = `policy test verdict=block reasons=${a},${'b'.repeat(46)}...(+108)`;
    assert.equal(json['summary'], expected);
    assert.equal(Buffer.byteLength(expected), 240);
  });

  it('refuses an unnormalizable intent with exit 6 even under fail-closed', async () => {
    const t = workspace();
    writeFileSync(
      join(t.cwd, 'fc.yaml'),
      'default_verdict: allow\nfail_closed: {enabled: true, risk_classes: [high]}\n',
    );
    writeFileSync(join(t.cwd, 'bad-intent.json'), JSON.stringify({ ...readIntent(), tool_name: '' }));
    const err = errorOf(await gait(t, 'policy', 'test', 'fc.yaml', 'bad-intent.json', '--json'));
    assert.equal(err['error'], 'bad-intent.json: tool_name is required');
    assert.equal(err['error_reason'], 'input_intent');
  });

  it('reports a JSON syntax error in the intent with its position', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'broken.json'), '{"tool_name": }');
    const err = errorOf(await gait(t, 'policy', 'test', 'policy.yaml', 'broken.json', '--json'));
    assert.equal(err['error_reason'], 'input_json');
    assert.equal(err['error_location'], 'broken.json:1:15');
  });

  it('requires both positional arguments', async () => {
    const t = workspace();
    errorOf(await gait(t, 'policy', 'test', 'policy.yaml', '--json'));
  });
});

describe('gait policy simulate', () => {
  /** Integration intent plus a read of an internal host; policies: V2 (block external), allow-all. */
  function simulateWorkspace(): TestIo {
    const t = workspace();
    mkdirSync(join(t.cwd, 'fixtures/sub'), { recursive: true });
    copyFileSync(join(VECTORS, 'intent.json'), join(t.cwd, 'fixtures/sub/write.JSON'));
    writeFileSync(
      join(t.cwd, 'fixtures/read.json'),
      JSON.stringify({ ...readIntent(), tool_name: 'tool.read', targets: [{ kind: 'host', value: 'internal.example' }] }),
    );
    writeFileSync(join(t.cwd, 'fixtures/notes.txt'), 'not a fixture');
    writeFileSync(join(t.cwd, 'allow.yaml'), ALLOW_ALL_POLICY);
    writeFileSync(
      join(t.cwd, 'approve.yaml'),
      readFileSync(join(VECTORS, 'policy.yaml'), 'utf8').replace('effect: block', 'effect: require_approval'),
    );
    return t;
  }

  it('recommends observe when a fixture relaxes to allow', async () => {
    const t = simulateWorkspace();
    const run = await gait(t, 'policy', 'simulate', '--policy', 'allow.yaml', '--baseline', 'policy.yaml', '--fixtures', 'fixtures', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      baseline_policy_digest: V2_DIGEST,
      baseline_verdicts: [
        { count: 1, verdict: 'allow' },
        { count: 1, verdict: 'block' },
      ],
      candidate_policy_digest: ALLOW_ALL_DIGEST,
      candidate_verdicts: [{ count: 2, verdict: 'allow' }],
      changed: [
        {
          baseline_matched_rule: 'block-external-host',
          baseline_reason_codes: ['blocked_external'],
          baseline_verdict: 'block',
          baseline_violations: ['external_target'],
          candidate_reason_codes: ['default_allow'],
          candidate_verdict: 'allow',
          changed: true,
          fixture_path: 'fixtures/sub/write.JSON',
          intent_digest: V3_INTENT_DIGEST,
          tool_name: 'tool.write',
        },
      ],
      changed_fixtures: 1,
      correlation_id: 'cid-test',
      decision_diff: [
        {
          baseline_verdict: 'block',
          calls: ['fixtures/sub/write.JSON'],
          candidate_reason_codes: ['default_allow'],
          candidate_verdict: 'allow',
          count: 1,
          tool_name: 'tool.write',
        },
      ],
      fixtures_total: 2,
      ok: true,
      recommendation: 'observe',
      summary: 'policy simulate fixtures=2 changed=1 recommendation=observe',
    });
  });

  it('recommends require_approval when a fixture tightens to block', async () => {
    const t = simulateWorkspace();
    const run = await gait(t, 'policy', 'simulate', '--policy', 'policy.yaml', '--baseline', 'allow.yaml', '--fixtures', 'fixtures');
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'policy simulate fixtures=2 changed=1 recommendation=require_approval\n  tool.write: allow -> block (blocked_external) x1\n');
  });

  it('recommends enforce for block to require_approval and for no change', async () => {
    const t = simulateWorkspace();
    const softer = await gait(t, 'policy', 'simulate', '--policy', 'approve.yaml', '--baseline', 'policy.yaml', '--fixtures', 'fixtures');
    assert.equal(softer.stdout, 'policy simulate fixtures=2 changed=1 recommendation=enforce\n  tool.write: block -> require_approval (blocked_external) x1\n');
    const same = await gait(t, 'policy', 'simulate', '--policy', 'policy.yaml', '--baseline', 'policy.yaml', '--fixtures', 'fixtures', '--json');
    assert.equal(same.code, 0);
    assert.deepEqual(jsonLine(same), {
      baseline_policy_digest: V2_DIGEST,
      baseline_verdicts: [
        { count: 1, verdict: 'allow' },
        { count: 1, verdict: 'block' },
      ],
      candidate_policy_digest: V2_DIGEST,
      candidate_verdicts: [
        { count: 1, verdict: 'allow' },
        { count: 1, verdict: 'block' },
      ],
      correlation_id: 'cid-test',
      fixtures_total: 2,
      ok: true,
      recommendation: 'enforce',
      summary: 'policy simulate fixtures=2 changed=0 recommendation=enforce',
    });
  });

  it('cleans, de-duplicates and sorts fixture paths', async () => {
    const t = simulateWorkspace();
    const fixtures = 'fixtures/./sub/../read.json, fixtures//sub/write.JSON,fixtures/,intent.json';
    const run = await gait(t, 'policy', 'simulate', '--policy', 'allow.yaml', '--baseline', 'policy.yaml', '--fixtures', fixtures, '--json');
    const json = jsonLine(run) as Record<string, unknown>;
    assert.equal(json['fixtures_total'], 3);
    const paths = (json['changed'] as { fixture_path: string }[]).map((c) => c.fixture_path);
    assert.deepEqual(paths, ['fixtures/sub/write.JSON', 'intent.json']);
  });

  it('fails on a listed non-.json file, a missing path, and missing flags', async () => {
    const t = simulateWorkspace();
    const base = ['policy', 'simulate', '--policy', 'allow.yaml', '--baseline', 'policy.yaml', '--json'];
    const txt = errorOf(await gait(t, ...base, '--fixtures', 'fixtures/notes.txt'));
    assert.equal(txt['error'], 'fixture file must be .json (intent), .jsonl (intents), .zip (runpack) or .yaml (regress config): `fixtures/notes.txt`');
    const missing = errorOf(await gait(t, ...base, '--fixtures', 'nowhere'));
    assert.equal(missing['error'], 'cannot read fixtures path `nowhere`: no such file');
    const none = errorOf(await gait(t, ...base, '--fixtures', ' , '));
    assert.equal(none['error'], 'missing required --fixtures <csv files/dirs>');
    const noBaseline = errorOf(await gait(t, 'policy', 'simulate', '--policy', 'allow.yaml', '--fixtures', 'fixtures', '--json'));
    assert.equal(noBaseline['error'], 'missing required --baseline <baseline_policy.yaml>');
    mkdirSync(join(t.cwd, 'empty'));
    const empty = errorOf(await gait(t, ...base, '--fixtures', 'empty'));
    assert.equal(empty['error'], 'no intent fixtures discovered from --fixtures');
  });

  it('names the fixture file of an unnormalizable intent', async () => {
    const t = simulateWorkspace();
    writeFileSync(join(t.cwd, 'fixtures/zz-bad.json'), JSON.stringify({ ...readIntent(), tool_name: '  ' }));
    const err = errorOf(
      await gait(t, 'policy', 'simulate', '--policy', 'allow.yaml', '--baseline', 'policy.yaml', '--fixtures', 'fixtures', '--json'),
    );
    assert.equal(err['error'], 'fixtures/zz-bad.json: tool_name is required');
  });
});
