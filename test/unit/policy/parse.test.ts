import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import oracle from 'canonicalize';
import { parsePolicyObject, parsePolicyYaml } from '../../../src/policy/parse.js';
import { policyDigest, toPolicyDigestPayload } from '../../../src/policy/digest.js';

const GAIT = new URL('../../fixtures/vectors/gait-v1/', import.meta.url);
const vector = (path: string): string => readFileSync(new URL(path, GAIT), 'utf8');

const V1_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';
const V2_DIGEST = 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c';
const V1_PAYLOAD =
  '{"DefaultVerdict":"require_approval","FailClosed":{"Enabled":false,"RequiredFields":[],"RiskClasses":[]},"Rules":[],"SchemaID":"gait.gate.policy","SchemaVersion":"1.0.0"}';
const V2_PAYLOAD =
  '{"DefaultVerdict":"allow","FailClosed":{"Enabled":false,"RequiredFields":[],"RiskClasses":[]},"Rules":[{"Effect":"block","Match":{"Identities":[],"ProvenanceSources":[],"RiskClasses":[],"TargetKinds":["host"],"TargetValues":["api.external.com"],"ToolNames":["tool.write"],"WorkspacePrefixes":[]},"Name":"block-external-host","Priority":10,"ReasonCodes":["blocked_external"],"Violations":["external_target"]}],"SchemaID":"gait.gate.policy","SchemaVersion":"1.0.0"}';

const digestOf = (text: string): string => policyDigest(parsePolicyYaml(text));

describe('parsePolicyYaml() conformance vectors', () => {
  it('V1: minimal policy', () => {
    const policy = parsePolicyYaml('default_verdict: require_approval\n');
    assert.equal(oracle(toPolicyDigestPayload(policy)), V1_PAYLOAD);
    assert.equal(policyDigest(policy), V1_DIGEST);
  });

  it('V2: one-rule policy (integration vector), payload bytes equal the vector file', () => {
    const policy = parsePolicyYaml(vector('integration/policy.yaml'), { file: 'policy.yaml' });
    assert.equal(oracle(toPolicyDigestPayload(policy)), V2_PAYLOAD);
    assert.equal(oracle(toPolicyDigestPayload(policy)), vector('integration/policy.digest-payload.json').trimEnd());
    assert.equal(policyDigest(policy), V2_DIGEST);
  });

  it('approval-token-valid policy has the V1 digest', () => {
    const policy = parsePolicyYaml(vector('approval-token-valid/policy.yaml'));
    assert.equal(oracle(toPolicyDigestPayload(policy)), vector('approval-token-valid/policy.digest-payload.json').trimEnd());
    assert.equal(policyDigest(policy), V1_DIGEST);
  });

  it('schema-testdata: the valid JSON policy loads (as YAML and as an object)', () => {
    const text = vector('schema-testdata/gate_policy_valid.json');
    const policy = parsePolicyYaml(text);
    assert.equal(policy.defaultVerdict, 'require_approval');
    assert.deepEqual(policy.failClosed, {
      enabled: true,
      riskClasses: ['critical', 'high'],
      requiredFields: ['arg_provenance', 'endpoint_class', 'targets'],
      requiredHighRiskFields: [],
    });
    assert.equal(policy.rules.length, 1);
    assert.deepEqual(policy.rules[0]?.match.toolNames, ['tool.delete']);
    assert.equal(policyDigest(parsePolicyObject(JSON.parse(text))), policyDigest(policy));
  });

  it('schema-testdata: the invalid JSON policy fails on `default_verdit` with its location and a hint', () => {
    assert.throws(
      () => parsePolicyYaml(vector('schema-testdata/gate_policy_invalid.json'), { file: 'gate_policy_invalid.json' }),
      (e: unknown) => {
        const err = e as { code: string; message: string; location: unknown; hint: string };
        assert.equal(err.code, 'policy_parse');
        assert.equal(err.message, 'parse policy yaml: unknown field `default_verdit`');
        assert.deepEqual(err.location, { file: 'gate_policy_invalid.json', line: 5, col: 3 });
        assert.equal(err.hint, 'did you mean `default_verdict`?');
        return true;
      },
    );
  });
});

describe('parsePolicyYaml() digest invariance (§A4.7)', () => {
  it('rule order, list order, case, whitespace and alias usage do not change the digest', () => {
    const variant = `
schema_id: "  gait.gate.policy "
default_action: ALLOW
rules:
  - name: zz-last
    priority: 50
    action: allow
    match: {tool_name: Tool.Read}
  - name: "  block-external-host  "
    priority: 10
    action: BLOCK
    effect: block
    match:
      tool_name: "  TOOL.WRITE"
      tool_names: [tool.write, Tool.Write, "  "]
      target_kinds: [HOST, host]
      target_values: [" api.external.com "]
    reason_codes: [blocked_external, blocked_external]
    violations: [external_target]
`;
    const canonical = `
default_verdict: allow
rules:
  - {name: block-external-host, priority: 10, effect: block,
     match: {tool_names: [tool.write], target_kinds: [host], target_values: [api.external.com]},
     reason_codes: [blocked_external], violations: [external_target]}
  - {name: zz-last, priority: 50, effect: allow, match: {tool_names: [tool.read]}}
`;
    assert.equal(digestOf(variant), digestOf(canonical));
    const v2 = vector('integration/policy.yaml').replace('[tool.write]', '[" Tool.WRITE "]').replace('[host]', '[Host]');
    assert.equal(digestOf(v2), V2_DIGEST);
  });

  it('sorts rules by priority, then name by code point (not UTF-16 order)', () => {
    const policy = parsePolicyYaml(`
rules:
  - {name: "\u{1F600}", effect: block}
  - {name: "\uFF21", effect: block}
  - {name: b, priority: -1, effect: allow}
  - {name: a, effect: block}
`);
    assert.deepEqual(
      policy.rules.map((r) => r.name),
      ['b', 'a', '\uFF21', '\u{1F600}'],
    );
  });

  it('identical (priority, name) rules are ordered by content, so input order never matters', () => {
    const a = '  - {name: r, effect: block, match: {tool_names: [a]}}\n';
    const b = '  - {name: r, effect: block, match: {tool_names: [b]}}\n';
    assert.equal(digestOf(`rules:\n${a}${b}`), digestOf(`rules:\n${b}${a}`));
  });

  it('alias keys merge: default_action, action, match.tool_name, match.endpoint_class', () => {
    const viaAliases = digestOf(
      'default_action: block\nrules:\n  - {name: r, action: allow, match: {tool_name: t.a, endpoint_class: [fs.read], endpoint_classes: [net.http]}}\n',
    );
    const plain = digestOf(
      'default_verdict: block\nrules:\n  - {name: r, effect: allow, match: {tool_names: [t.a], endpoint_classes: [fs.read, net.http]}}\n',
    );
    assert.equal(viaAliases, plain);
  });
});

describe('parsePolicyYaml() normalization defaults', () => {
  it('fail_closed enabled with no risk classes defaults to [critical, high]', () => {
    const policy = parsePolicyYaml('fail_closed: {enabled: true}\n');
    assert.deepEqual(policy.failClosed.riskClasses, ['critical', 'high']);
    assert.deepEqual(parsePolicyYaml('fail_closed: {risk_classes: [High]}\n').failClosed.riskClasses, ['high']);
  });

  it('default verdict defaults to require_approval; schema id and version default', () => {
    const policy = parsePolicyYaml('rules: []\n');
    assert.equal(policy.defaultVerdict, 'require_approval');
    assert.equal(policyDigest(policy), V1_DIGEST);
  });

  it('min_approvals > 1 forces distinct approvers; require_context_evidence implies mode required', () => {
    const rule = parsePolicyYaml('rules:\n  - {name: r, effect: allow, min_approvals: 2, require_context_evidence: true}\n').rules[0];
    assert.equal(rule?.requireDistinctApprovers, true);
    assert.equal(rule?.requiredContextEvidenceMode, 'required');
  });

  it('dataflow and endpoint defaults', () => {
    const rule = parsePolicyYaml(
      'rules:\n  - {name: r, effect: allow, dataflow: {enabled: true}, endpoint: {domain_allowlist: [API.Example.com]}}\n',
    ).rules[0];
    assert.deepEqual(rule?.dataflow, {
      enabled: true,
      taintedSources: ['external', 'tool_output'],
      destinationKinds: [],
      destinationValues: [],
      destinationOperations: [],
      action: 'require_approval',
      reasonCode: 'dataflow_tainted_destination',
      violation: 'tainted_dataflow',
    });
    assert.deepEqual(rule?.endpoint, {
      enabled: true,
      pathAllowlist: [],
      pathDenylist: [],
      domainAllowlist: ['api.example.com'],
      domainDenylist: [],
      egressClasses: [],
      action: 'block',
      destructiveAction: '',
      reasonCode: 'endpoint_constraint_violation',
      violation: 'endpoint_constraint_violation',
    });
  });

  it('blocks with nothing set stay disabled', () => {
    const rule = parsePolicyYaml(
      'rules:\n  - {name: r, effect: allow, dataflow: {enabled: false}, endpoint: {}, sandbox: {enabled: false}, freeze_window: {}, rate_limit: {requests: 0}}\n',
    ).rules[0];
    assert.equal(rule?.dataflow, undefined);
    assert.equal(rule?.endpoint, undefined);
    assert.equal(rule?.sandbox, undefined);
    assert.equal(rule?.freezeWindow, undefined);
    assert.equal(rule?.rateLimit, undefined);
  });

  it('freeze window: default names window-<n>, effect block, lowered risk classes', () => {
    const rule = parsePolicyYaml(`
rules:
  - name: r
    effect: allow
    freeze_window:
      timezone: America/Toronto
      risk_classes: [HIGH]
      windows:
        - {start: "2026-03-10T09:00:00", end: "2026-03-10T12:00:00"}
        - {name: second, start: "2026-03-11T09:00:00", end: "2026-03-11T12:00:00"}
`).rules[0];
    assert.deepEqual(rule?.freezeWindow, {
      enabled: true,
      timezone: 'America/Toronto',
      effect: 'block',
      reason: '',
      environments: [],
      riskClasses: ['high'],
      windows: [
        { name: 'window-1', start: '2026-03-10T09:00:00', end: '2026-03-10T12:00:00' },
        { name: 'second', start: '2026-03-11T09:00:00', end: '2026-03-11T12:00:00' },
      ],
    });
  });

  it('sandbox: path lists are cleaned, mode lists lowered', () => {
    const rule = parsePolicyYaml(
      'rules:\n  - {name: r, effect: allow, sandbox: {allowed_writable_path_prefixes: ["/tmp//x/", "/tmp/x/./", ".", "a/../b"], allowed_network_modes: [DISABLED]}}\n',
    ).rules[0];
    assert.deepEqual(rule?.sandbox?.allowedWritablePathPrefixes, ['/tmp/x', 'b']);
    assert.deepEqual(rule?.sandbox?.allowedNetworkModes, ['disabled']);
    assert.deepEqual(rule?.sandbox?.requiredReadOnlyRoots, []);
  });

  it('rate limit defaults; mcp_trust defaults and canonical max_age', () => {
    const policy = parsePolicyYaml(
      'mcp_trust: {snapshot: ./trust.json, max_age: 1440m}\nrules:\n  - {name: r, effect: allow, rate_limit: {requests: 5}}\n',
    );
    assert.deepEqual(policy.rules[0]?.rateLimit, { requests: 5, window: 'minute', scope: 'tool_identity' });
    assert.deepEqual(policy.mcpTrust, {
      enabled: true,
      snapshot: './trust.json',
      action: 'block',
      requiredRiskClasses: ['critical', 'high'],
      minScore: 0,
      maxAge: '24h0m0s',
      publisherAllowlist: [],
      requireRegistry: false,
    });
  });

  it('tool annotations: a hint set to false counts as set; approvals reuse', () => {
    const policy = parsePolicyYaml(
      'approvals: {reuse: WITHIN_TTL}\nrules:\n  - {name: r, effect: allow, match: {tool_annotations: {readOnlyHint: false}}}\n',
    );
    assert.deepEqual(policy.rules[0]?.match.toolAnnotations, { readOnlyHint: false });
    assert.equal(policy.approvals.reuse, 'within_ttl');
  });

  it('numbers and booleans in string positions keep their source spelling; YAML 1.1 booleans in bool positions', () => {
    const policy = parsePolicyYaml('rules:\n  - {name: 0x10, effect: allow, require_declared_agent: yes, reason_codes: [1.50]}\n');
    assert.equal(policy.rules[0]?.name, '0x10');
    assert.deepEqual(policy.rules[0]?.reasonCodes, ['1.50']);
    assert.equal(policy.rules[0]?.requireDeclaredAgent, true);
  });

  it('anchors, aliases and merge keys are resolved', () => {
    const text = `
rules:
  - &base {name: a, effect: block, match: {tool_names: [t.x]}}
  - <<: *base
    name: b
`;
    const policy = parsePolicyYaml(text);
    assert.deepEqual(
      policy.rules.map((r) => [r.name, r.effect, r.match.toolNames]),
      [
        ['a', 'block', ['t.x']],
        ['b', 'block', ['t.x']],
      ],
    );
  });
});
