import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isGaitError } from '../../../../src/errors/error.js';
import { formatTimestamp } from '../../../../src/runtime/timestamp.js';
import { normalizeIntent, prepareIntent, rawRiskClass, toIntentWire } from '../../../../src/schema/v1/intent.js';
import { intentDigest } from '../../../../src/schema/v1/intent-digest.js';

const CTX = { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' };
const HEX = 'ab'.repeat(32);

function intent(extra: Record<string, unknown> = {}, context: Record<string, unknown> = {}): Record<string, unknown> {
  return { tool_name: 'tool.write', ...extra, context: { ...CTX, ...context } };
}

function rejects(raw: unknown, message: string, path?: string, code: 'input_intent' | 'input_unsupported_feature' = 'input_intent') {
  assert.throws(
    () => normalizeIntent(raw),
    (e: unknown) => {
      assert.ok(isGaitError(e, code), `expected ${code}, got ${String(e)}`);
      assert.equal(e.message, message);
      if (path !== undefined) assert.equal(e.details['path'], path);
      return true;
    },
  );
}

describe('normalizeIntent: quoted error messages (gate.md §A3.2)', () => {
  it('top level', () => {
    rejects([], 'intent must be a JSON object');
    rejects('x', 'intent must be a JSON object');
    rejects(intent({ tool_name: '  ' }), 'tool_name is required', 'tool_name');
    rejects(intent({ script: { steps: [] } }), 'script intents are not supported yet (gate.md §B1)', 'script', 'input_unsupported_feature');
    rejects(intent({ args: { ' ': 1 } }), 'args contains empty key');
    rejects(intent({ args: { a: { '\u3000': 1 } } }), 'args contains empty key');
  });
  it('targets', () => {
    rejects(intent({ targets: [{ kind: 'path' }] }), 'targets require kind and value', 'targets[0]');
    rejects(intent({ targets: [{ value: 'x' }] }), 'targets require kind and value');
    rejects(intent({ targets: [null] }), 'targets require kind and value');
    rejects(intent({ targets: [{ kind: 'Disk', value: 'x' }] }), 'unsupported target kind: disk', 'targets[0].kind');
    rejects(intent({ targets: [{ kind: 'path', value: 'x', endpoint_class: 'FS.Nuke' }] }), 'unsupported endpoint class: fs.nuke');
    rejects(intent({ targets: [{ kind: 'path', value: 'x', discovery_method: 'carrier pigeon' }] }), 'unsupported discovery method: carrier_pigeon');
  });
  it('arg_provenance and skill_provenance', () => {
    rejects(intent({ arg_provenance: [{ arg_path: '$.a' }] }), 'arg provenance requires arg_path and source');
    rejects(intent({ arg_provenance: [{ arg_path: '$.a', source: 'moon' }] }), 'unsupported provenance source: moon');
    rejects(intent({ arg_provenance: [{ arg_path: '$.a', source: 'user', integrity_digest: 'zz' }] }), 'invalid provenance integrity_digest: zz');
    rejects(intent({ skill_provenance: { skill_name: 's', source: 'r' } }), 'skill provenance requires skill_name, source, and publisher');
    rejects(intent({ skill_provenance: {} }), 'skill provenance requires skill_name, source, and publisher');
    rejects(intent({ skill_provenance: { skill_name: 's', source: 'r', publisher: 'p', digest: 'x' } }), 'invalid skill provenance digest: x');
  });
  it('context required members', () => {
    rejects({ tool_name: 't' }, 'context.identity is required', 'context.identity');
    rejects(intent({}, { identity: ' ' }), 'context.identity is required');
    rejects(intent({}, { workspace: '' }), 'context.workspace is required', 'context.workspace');
    rejects(intent({}, { risk_class: null }), 'context.risk_class is required', 'context.risk_class');
  });
  it('context members', () => {
    rejects(intent({}, { phase: 'deploy' }), 'context.phase must be plan or apply');
    rejects(intent({}, { credential_ttl_seconds: -1 }), 'context.credential_ttl_seconds must be >= 0');
    rejects(intent({}, { credential_source: 'magic' }), 'context.credential_source is unsupported: magic');
    rejects(intent({}, { credential_access_type: 'root' }), 'context.credential_access_type is unsupported: root');
    rejects(intent({}, { context_set_digest: 'abc' }), 'context.context_set_digest must be sha256 hex');
    rejects(intent({}, { context_evidence_mode: 'always' }), 'context.context_evidence_mode must be best_effort or required');
    rejects(
      intent({}, { auth_context: { token: 'ghp_abcdef' } }),
      'context.auth_context.token must not contain raw credential material; use credential references or digests instead',
      'context.auth_context.token',
    );
    rejects(intent({}, { auth_context: { ' ': 'x' } }), 'context.auth_context contains empty key');
  });
  it('raw credentials in args', () => {
    rejects(
      intent({ args: { headers: { Authorization_Token: ' sk-live-123 ' } } }),
      'args.headers.Authorization_Token must not contain raw credential material; use credential references or digests instead',
      'args.headers.Authorization_Token',
    );
  });
  it('sandbox', () => {
    rejects(
      intent({}, { sandbox: { writable_paths: ['/ok', ' HOME=/root '] } }),
      'context.sandbox.writable_paths[1] must not contain raw environment variable assignments',
      'context.sandbox.writable_paths[1]',
    );
    rejects(
      intent({}, { sandbox: { read_only_roots: ['_X1=y'] } }),
      'context.sandbox.read_only_roots[0] must not contain raw environment variable assignments',
    );
    rejects(
      intent({}, { sandbox: { evidence_ref: 'TOKEN=abc' } }),
      'context.sandbox.evidence_ref must not contain raw environment variable assignments',
    );
    rejects(
      intent({}, { sandbox: { evidence_ref: 'abcd1234efgh5678' } }),
      'context.sandbox.evidence_ref must not contain secret-like sandbox material; use sandbox evidence refs or digests instead',
      'context.sandbox.evidence_ref',
    );
    rejects(intent({}, { sandbox: { network_mode: 'wide' } }), 'context.sandbox.network_mode is unsupported: wide');
    rejects(intent({}, { sandbox: { timeout_seconds: -5 } }), 'context.sandbox.timeout_seconds must be >= 0');
    rejects(intent({}, { sandbox: { evidence_digest: 'nope' } }), 'context.sandbox.evidence_digest must be sha256 hex');
  });
  it('agent_identity order checks', () => {
    rejects(
      intent({}, { agent_identity: { issued_at: '2026-01-02T00:00:00Z', approved_at: '2026-01-01T00:00:00Z' } }),
      'context.agent_identity.approved_at must be on or after issued_at',
    );
    assert.doesNotThrow(() =>
      normalizeIntent(intent({}, { agent_identity: { issued_at: '2026-01-02T00:00:00Z', approved_at: '2026-01-02T01:00:00+01:00' } })),
    );
    rejects(
      intent({}, { agent_identity: { issued_at: '2026-01-02T00:00:00Z', expires_at: '2026-01-02T00:00:00Z' } }),
      'context.agent_identity.expires_at must be after issued_at',
    );
    rejects(
      intent({}, { agent_identity: { approved_at: '2026-01-03T00:00:00Z', expires_at: '2026-01-02T00:00:00Z' } }),
      'context.agent_identity.expires_at must be after approved_at',
    );
    rejects(intent({}, { agent_identity: { manifest_digest: 'x' } }), 'context.agent_identity.manifest_digest must be sha256 hex');
  });
  it('delegation checks', () => {
    rejects(intent({ delegation: {} }), 'delegation.requester_identity is required');
    rejects(
      intent({ delegation: { requester_identity: 'c', chain: [{ delegator_identity: 'a' }] } }),
      'delegation.chain[0] requires delegator_identity and delegate_identity',
    );
    rejects(
      intent({
        delegation: {
          requester_identity: 'c',
          chain: [{ delegator_identity: 'a', delegate_identity: 'b' }, { delegator_identity: 'x', delegate_identity: 'c' }],
        },
      }),
      'delegation.chain[1] delegator_identity must match delegation.chain[0].delegate_identity',
    );
    rejects(
      intent({ delegation: { requester_identity: 'c', chain: [{ delegator_identity: 'a', delegate_identity: 'b' }] } }),
      'delegation.chain last delegate_identity must match delegation.requester_identity',
    );
    rejects(
      intent({ delegation: { requester_identity: 'c', issued_at: '2026-01-02T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' } }),
      'delegation.expires_at must be after issued_at',
    );
    rejects(
      intent({
        delegation: {
          requester_identity: 'b',
          chain: [{ delegator_identity: 'a', delegate_identity: 'b', issued_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }],
        },
      }),
      'delegation.chain[0] expires_at must be after issued_at',
    );
  });
});

describe('normalizeIntent: decoding (gate.md §A1.4)', () => {
  it('maps members case-insensitively', () => {
    const n = normalizeIntent({ Tool_Name: 'X', CONTEXT: { Identity: 'a', WorkSpace: 'w', Risk_Class: 'LOW' } });
    assert.equal(n.toolName, 'x');
    assert.equal(n.context.riskClass, 'low');
  });
  it('an exact-case match wins over case-insensitive ones, wherever it occurs', () => {
    assert.equal(normalizeIntent({ tool_name: 'exact', TOOL_NAME: 'upper', ...{ context: CTX } }).toolName, 'exact');
    assert.equal(normalizeIntent({ TOOL_NAME: 'upper', tool_name: 'exact', context: CTX }).toolName, 'exact');
  });
  it('among case-insensitive matches the last occurring wins', () => {
    assert.equal(normalizeIntent({ TOOL_NAME: 'first', Tool_Name: 'last', context: CTX }).toolName, 'last');
  });
  it('treats null as absent', () => {
    const n = normalizeIntent({
      tool_name: 't', args: null, targets: null, arg_provenance: null, skill_provenance: null, delegation: null,
      relationship: null, created_at: null, script: null, context: { ...CTX, phase: null, sandbox: null, auth_context: null },
    });
    assert.deepEqual(n.args, {});
    assert.deepEqual(n.targets, []);
    assert.equal(n.skillProvenance, undefined);
    assert.equal(n.context.phase, 'apply');
    assert.equal(formatTimestamp(n.createdAt), '1980-01-01T00:00:00Z');
  });
  it('ignores unknown members', () => {
    assert.equal(normalizeIntent({ ...intent(), surprise: [1, 2], args_digest: 'nope', intent_digest: 5 }).toolName, 'tool.write');
  });
  it('rejects members of the wrong JSON type with a path', () => {
    rejects(intent({ tool_name: 5 }), 'tool_name must be a string', 'tool_name');
    rejects(intent({ args: [] }), 'args must be an object', 'args');
    rejects(intent({ args: 'x' }), 'args must be an object');
    rejects(intent({ targets: {} }), 'targets must be an array');
    rejects(intent({ targets: [{ kind: 'path', value: 'x', destructive: 'yes' }] }), 'targets[0].destructive must be a boolean');
    rejects({ tool_name: 't', context: 'x' }, 'context must be an object');
    rejects(intent({}, { credential_ttl_seconds: 1.5 }), 'context.credential_ttl_seconds must be an integer');
    rejects(intent({}, { credential_scopes: ['a', 2] }), 'context.credential_scopes[1] must be a string');
    rejects(intent({}, { auth_context: [] }), 'context.auth_context must be an object');
    rejects(intent({ created_at: 'yesterday' }), 'created_at must be an RFC 3339 timestamp, got `yesterday`', 'created_at');
    rejects(intent({ created_at: 0 }), 'created_at must be an RFC 3339 timestamp string');
  });
});

describe('normalizeIntent: normalization', () => {
  it('trims and lowercases tool_name, defaults schema ids, converts created_at to UTC', () => {
    const n = normalizeIntent(intent({ tool_name: ' Tool.\u0130O ', created_at: '2026-02-05T02:00:00.500+02:00' }));
    assert.equal(n.toolName, 'tool.io');
    assert.equal(n.schemaId, 'gait.gate.intent_request');
    assert.equal(n.schemaVersion, '1.0.0');
    assert.equal(formatTimestamp(n.createdAt), '2026-02-05T00:00:00.5Z');
  });
  it('zero created_at falls back to 1980', () => {
    assert.equal(formatTimestamp(normalizeIntent(intent({ created_at: '0001-01-01T00:00:00Z' })).createdAt), '1980-01-01T00:00:00Z');
  });
  it('normalizes args recursively, keeping numbers, booleans, null and array order', () => {
    const n = normalizeIntent(intent({ args: { ' k ': ' v ', list: [' b ', 1, true, null, { ' x': ' y ' }], n: 1.5 } }));
    assert.deepEqual(n.args, { k: 'v', list: ['b', 1, true, null, { x: 'y' }], n: 1.5 });
  });
  it('keeps a __proto__ key in args as an own member', () => {
    const n = normalizeIntent(intent({ args: JSON.parse('{"__proto__": {"a": " b "}}') as unknown }));
    assert.deepEqual(Object.keys(n.args), ['__proto__']);
    assert.equal(Object.getPrototypeOf(n.args), Object.prototype);
  });
  it('de-duplicates and sorts targets by all members (code point order)', () => {
    const n = normalizeIntent(intent({
      targets: [
        { kind: 'path', value: '/\u{1F600}' },
        { kind: 'Path', value: ' /\uFF5E ' },
        { kind: 'host', value: 'b.example' },
        { kind: 'path', value: '/\uFF5E' },
        { kind: 'host', value: 'b.example', destructive: true },
        { kind: 'host', value: 'a.example', read_only_hint: true },
      ],
    }));
    assert.deepEqual(
      n.targets.map((t) => [t.kind, t.value, t.destructive, t.readOnlyHint]),
      [
        ['host', 'a.example', false, true],
        ['host', 'b.example', false, false],
        ['host', 'b.example', true, false],
        ['path', '/\uFF5E', false, false],
        ['path', '/\u{1F600}', false, false],
      ],
    );
  });
  it('normalizes discovery_method spelling', () => {
    const n = normalizeIntent(intent({ targets: [{ kind: 'url', value: 'https://x.example', discovery_method: ' Dynamic-MCP ' }] }));
    assert.equal(n.targets[0]?.discoveryMethod, 'dynamic_mcp');
    assert.equal(n.targets[0]?.endpointDomain, 'x.example');
  });
  it('de-duplicates and sorts arg provenance', () => {
    const n = normalizeIntent(intent({
      arg_provenance: [
        { arg_path: '$.b', source: 'User' },
        { arg_path: '$.a', source: 'system', integrity_digest: HEX.toUpperCase() },
        { arg_path: ' $.b ', source: 'user' },
      ],
    }));
    assert.deepEqual(n.argProvenance, [
      { argPath: '$.a', source: 'system', sourceRef: '', integrityDigest: HEX },
      { argPath: '$.b', source: 'user', sourceRef: '', integrityDigest: '' },
    ]);
  });
  it('normalizes context members', () => {
    const n = normalizeIntent(intent({}, {
      workspace: ' C:\\repo\\app ', risk_class: ' HIGH ', credential_scopes: ['b', ' a ', 'b'], context_refs: [],
      sandbox: { writable_paths: [' /tmp//x/ ', '/tmp/x', '.', './a/../b'], evidence_ref: 'REF:abcd1234efgh5678' },
      agent_identity: { lifecycle_states: ['Active', ' Active'], source: ' REGISTRY ', issued_at: '2026-01-01T05:00:00+05:00' },
    }));
    assert.equal(n.context.workspace, 'C:/repo/app');
    assert.equal(n.context.riskClass, 'high');
    assert.deepEqual(n.context.credentialScopes, ['a', 'b']);
    assert.deepEqual(n.context.sandbox?.writablePaths, ['/tmp/x', 'b']);
    assert.equal(n.context.sandbox?.evidenceRef, 'REF:abcd1234efgh5678');
    assert.deepEqual(n.context.agentIdentity?.lifecycleStates, ['Active']);
    assert.equal(n.context.agentIdentity?.source, 'registry');
    assert.equal(formatTimestamp(n.context.agentIdentity!.issuedAt!), '2026-01-01T00:00:00Z');
  });
  it('an all-empty sandbox and an empty auth_context are absent', () => {
    const n = normalizeIntent(intent({}, { sandbox: { writable_paths: ['.', ' '] }, auth_context: {} }));
    assert.equal(n.context.sandbox, undefined);
    assert.equal(n.context.authContext, undefined);
  });
  it('normalizes delegation', () => {
    const n = normalizeIntent(intent({
      delegation: {
        requester_identity: ' c ', scope_class: 'WRITE', token_refs: ['t2', ' t1 ', 't2'],
        chain: [{ delegator_identity: 'a', delegate_identity: 'b' }, { delegator_identity: 'b', delegate_identity: 'c', scope_class: 'X', token_ref: ' r ' }],
      },
    }));
    assert.equal(n.delegation?.requesterIdentity, 'c');
    assert.equal(n.delegation?.scopeClass, 'write');
    assert.deepEqual(n.delegation?.tokenRefs, ['t1', 't2']);
    assert.equal(n.delegation?.chain[1]?.scopeClass, 'x');
    assert.equal(n.delegation?.chain[1]?.tokenRef, 'r');
  });
  it('carries a normalized relationship envelope', () => {
    const n = normalizeIntent(intent({
      relationship: { parent_ref: { kind: ' SESSION ', id: ' s1 ' }, entity_refs: [{ kind: 'tool', id: 't' }, { kind: 'bogus', id: 'x' }] },
    }));
    assert.deepEqual(n.relationship, {
      parent_ref: { kind: 'session', id: 's1' },
      entity_refs: [{ kind: 'tool', id: 't' }],
      related_entity_ids: ['t'],
    });
  });
});

describe('rawRiskClass', () => {
  it('reads context.risk_class from raw input, trimmed and lowercased', () => {
    assert.equal(rawRiskClass({ Context: { RISK_CLASS: ' High ' }, tool_name: 5 }), 'high');
  });
  it('returns "" when unreadable', () => {
    assert.equal(rawRiskClass(null), '');
    assert.equal(rawRiskClass({ context: 'x' }), '');
    assert.equal(rawRiskClass({ context: { risk_class: 3 } }), '');
  });
});

describe('prepareIntent', () => {
  it('strips context-evidence claims and auth_context.context_age_seconds', () => {
    const n = normalizeIntent(intent({}, {
      context_set_digest: HEX, context_evidence_mode: 'required', context_refs: ['r1'],
      auth_context: { context_age_seconds: 5, provider: 'oidc' },
    }));
    const p = prepareIntent(n);
    assert.equal(p.context.contextSetDigest, '');
    assert.equal(p.context.contextEvidenceMode, '');
    assert.deepEqual(p.context.contextRefs, []);
    assert.deepEqual(p.context.authContext, { provider: 'oidc' });
    assert.equal(n.context.contextSetDigest, HEX, 'input not mutated');
  });
  it('leaves auth_context absent when only context_age_seconds was set', () => {
    const p = prepareIntent(normalizeIntent(intent({}, { auth_context: { context_age_seconds: 5 } })));
    assert.equal(p.context.authContext, undefined);
  });
});

describe('toIntentWire and idempotence', () => {
  it('writes the wire form with digests', () => {
    const wire = toIntentWire(normalizeIntent(intent({ created_at: '2026-02-05T00:00:00Z' })));
    assert.deepEqual(Object.keys(wire), [
      'schema_id', 'schema_version', 'created_at', 'producer_version', 'tool_name', 'args', 'args_digest', 'intent_digest',
      'targets', 'context',
    ]);
    assert.equal(wire['created_at'], '2026-02-05T00:00:00Z');
  });

  const text = fc.string({ maxLength: 6 });
  const pad = (s: string): string => ` ${s}\u0085`;
  const target = fc.record({
    kind: fc.constantFrom('path', 'URL', 'host', 'other', ' repo '),
    value: fc.constantFrom('/tmp/a', 'https://user@Ex.com:80/x', 'Ex.com:1', 'x'),
    operation: fc.constantFrom('', 'read', 'rm', 'exec', 'dns'),
    destructive: fc.boolean(),
    read_only_hint: fc.boolean(),
    discovery_method: fc.constantFrom('', 'static-mcp', 'A2A'),
  });
  const jsonArgs = fc.dictionary(text.map((k) => `${k}k`), fc.oneof(text.map(pad), fc.integer(), fc.boolean(), fc.constant(null)));
  const rawIntent = fc.record({
    tool_name: fc.constantFrom(' Tool.Read_File ', 'fs.delete', 'shell.run', 'x'),
    args: jsonArgs,
    targets: fc.array(target, { maxLength: 4 }),
    arg_provenance: fc.array(fc.record({ arg_path: text.map((s) => `$.${s}`), source: fc.constantFrom('user', 'SYSTEM') }), { maxLength: 3 }),
    delegation: fc.option(fc.record({ requester_identity: fc.constant('b'), token_refs: fc.array(text.map(pad)), issued_at: fc.constant('2026-01-01T00:00:00+01:00') }), { nil: undefined }),
    context: fc.record({
      identity: text.map((s) => `id${s}`),
      workspace: fc.constantFrom('/repo', 'C:\\w'),
      risk_class: fc.constantFrom('HIGH', 'low'),
      credential_scopes: fc.array(text.map(pad), { maxLength: 3 }),
      sandbox: fc.option(fc.record({ writable_paths: fc.array(fc.constantFrom('/a/../b', '.', '//x/'), { maxLength: 3 }), timeout_seconds: fc.nat(100) }), { nil: undefined }),
      agent_identity: fc.option(fc.record({ lifecycle_states: fc.array(text), revoked: fc.boolean() }), { nil: undefined }),
      auth_context: fc.option(jsonArgs, { nil: undefined }),
    }),
  });

  it('normalizing toIntentWire(normalizeIntent(x)) again yields the same digest', () => {
    fc.assert(
      fc.property(rawIntent, (raw) => {
        const first = normalizeIntent(raw);
        const wire = toIntentWire(first);
        const second = normalizeIntent(JSON.parse(JSON.stringify(wire)));
        assert.equal(intentDigest(second), intentDigest(first));
        assert.equal(intentDigest(second), wire['intent_digest']);
        assert.deepEqual(toIntentWire(second), wire);
      }),
      { numRuns: 300 },
    );
  });
});
