import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatch, compileWorkspacePrefixes } from '../../../src/policy/match.js';
import type { Delegation } from '../../../src/schema/v1/intent-types.js';
import { makeIntent, makeMatch, makeTarget } from './fixtures.js';

const delegation: Delegation = {
  requesterIdentity: 'agent.specialist',
  scopeClass: 'write',
  tokenRefs: [],
  chain: [
    { delegatorIdentity: 'agent.lead', delegateIdentity: 'agent.specialist', scopeClass: 'deploy', tokenRef: '', issuedAt: null, expiresAt: null },
  ],
  issuedAt: null,
  expiresAt: null,
};

describe('compileMatch()', () => {
  it('an empty match block matches every intent', () => {
    assert.equal(compileMatch(makeMatch())(makeIntent()), true);
  });
  it('tool_names, risk_classes and identities are exact', () => {
    const m = compileMatch(makeMatch({ toolNames: ['tool.write'], riskClasses: ['high'], identities: ['alice'] }));
    assert.equal(m(makeIntent()), true);
    assert.equal(m(makeIntent({ toolName: 'tool.read' })), false);
    assert.equal(m(makeIntent({ context: { riskClass: 'low' } })), false);
    assert.equal(m(makeIntent({ context: { identity: 'Alice' } })), false);
  });
  it('all set criteria must hold (AND)', () => {
    const m = compileMatch(makeMatch({ toolNames: ['tool.write'], targetKinds: ['path'] }));
    assert.equal(m(makeIntent()), false);
    assert.equal(m(makeIntent({ targets: [makeTarget(), makeTarget({ kind: 'path', value: '/x' })] })), true);
  });
  it('target criteria hold when any target satisfies them', () => {
    const intent = makeIntent({
      targets: [
        makeTarget(),
        makeTarget({ kind: 'path', value: '/tmp/x', operation: 'write', sensitivity: 'pii', endpointClass: 'fs.write', endpointDomain: '', discoveryMethod: 'mcp' }),
      ],
    });
    assert.equal(compileMatch(makeMatch({ targetValues: ['/tmp/x'] }))(intent), true);
    assert.equal(compileMatch(makeMatch({ endpointClasses: ['fs.write'] }))(intent), true);
    assert.equal(compileMatch(makeMatch({ endpointClasses: ['fs.delete'] }))(intent), false);
    assert.equal(compileMatch(makeMatch({ discoveryMethods: ['mcp'] }))(intent), true);
    assert.equal(compileMatch(makeMatch({ dataClasses: ['pii'] }))(intent), true);
    assert.equal(compileMatch(makeMatch({ dataClasses: ['secret'] }))(intent), false);
    assert.equal(compileMatch(makeMatch({ destinationKinds: ['path'], destinationOperations: ['write'] }))(intent), true);
    assert.equal(compileMatch(makeMatch({ destinationValues: ['/tmp/y'] }))(intent), false);
  });
  it('tool_annotations: each set hint equals some target hint', () => {
    const intent = makeIntent({ targets: [makeTarget({ destructiveHint: true, destructive: true }), makeTarget({ value: 'b', readOnlyHint: true })] });
    assert.equal(compileMatch(makeMatch({ toolAnnotations: { destructiveHint: true } }))(intent), true);
    assert.equal(compileMatch(makeMatch({ toolAnnotations: { destructiveHint: true, readOnlyHint: true } }))(intent), true);
    assert.equal(compileMatch(makeMatch({ toolAnnotations: { openWorldHint: true } }))(intent), false);
    assert.equal(compileMatch(makeMatch({ toolAnnotations: { openWorldHint: false } }))(intent), true);
  });
  it('provenance_sources: any provenance source', () => {
    const m = compileMatch(makeMatch({ provenanceSources: ['external'] }));
    assert.equal(m(makeIntent()), false);
    assert.equal(m(makeIntent({ argProvenance: [{ argPath: 'a', source: 'external', sourceRef: '', integrityDigest: '' }] })), true);
  });
  it('skill publishers are compared lowercased; no provenance never matches', () => {
    const m = compileMatch(makeMatch({ skillPublishers: ['acme'], skillSources: ['registry'] }));
    const skill = { skillName: 's', skillVersion: '', source: 'registry', publisher: 'ACME', digest: '', signatureKeyId: '' };
    assert.equal(m(makeIntent({ skillProvenance: skill })), true);
    assert.equal(m(makeIntent({ skillProvenance: { ...skill, source: 'git' } })), false);
    assert.equal(m(makeIntent()), false);
  });
  it('context_* criteria read lowercased string wrkr.* keys of auth_context', () => {
    const m = compileMatch(makeMatch({ contextToolNames: ['db.query'], contextDataClasses: ['pii'] }));
    assert.equal(m(makeIntent({ context: { authContext: { 'wrkr.tool_name': 'DB.Query', 'wrkr.data_class': 'pii' } } })), true);
    assert.equal(m(makeIntent({ context: { authContext: { 'wrkr.tool_name': 'db.query' } } })), false);
    assert.equal(m(makeIntent({ context: { authContext: { 'wrkr.tool_name': 7, 'wrkr.data_class': 'pii' } } })), false);
    assert.equal(m(makeIntent()), false);
    const levels = compileMatch(makeMatch({ contextEndpointClasses: ['net.http'], contextAutonomyLevels: ['high'] }));
    assert.equal(levels(makeIntent({ context: { authContext: { 'wrkr.endpoint_class': 'net.http', 'wrkr.autonomy_level': 'high' } } })), true);
    assert.equal(levels(makeIntent({ context: { authContext: { 'wrkr.endpoint_class': '', 'wrkr.autonomy_level': 'high' } } })), false);
  });
  it('delegation criteria require a delegation and check depth, identities and scopes', () => {
    const m = compileMatch(
      makeMatch({ allowedDelegatorIdentities: ['agent.lead'], allowedDelegateIdentities: ['agent.specialist'], delegationScopes: ['write'], maxDelegationDepth: 1 }),
    );
    assert.equal(m(makeIntent({ delegation })), true);
    assert.equal(m(makeIntent()), false);
    assert.equal(compileMatch(makeMatch({ maxDelegationDepth: 0 }))(makeIntent({ delegation })), false);
    assert.equal(compileMatch(makeMatch({ delegationScopes: ['deploy'] }))(makeIntent({ delegation })), true);
    assert.equal(compileMatch(makeMatch({ delegationScopes: ['admin'] }))(makeIntent({ delegation })), false);
    assert.equal(compileMatch(makeMatch({ allowedDelegatorIdentities: ['agent.other'] }))(makeIntent({ delegation })), false);
    assert.equal(compileMatch(makeMatch({ allowedDelegateIdentities: ['agent.other'] }))(makeIntent({ delegation })), false);
    assert.equal(compileMatch(makeMatch({ requireDelegation: true }))(makeIntent({ delegation })), true);
  });
});

describe('compileWorkspacePrefixes() (D3)', () => {
  it('matches on path-segment boundaries', () => {
    const m = compileWorkspacePrefixes(['/repo/app']);
    assert.equal(m('/repo/app'), true);
    assert.equal(m('/repo/app/src'), true);
    assert.equal(m('/repo/application'), false);
    assert.equal(m('/repo'), false);
  });
  it('a prefix ending in / is a plain prefix', () => {
    const m = compileWorkspacePrefixes(['/repo/']);
    assert.equal(m('/repo/x'), true);
    assert.equal(m('/repo'), false);
  });
  it('is wired into compileMatch()', () => {
    const m = compileMatch(makeMatch({ workspacePrefixes: ['/repo/gait'] }));
    assert.equal(m(makeIntent()), true);
    assert.equal(m(makeIntent({ context: { workspace: '/repo/gait-other' } })), false);
  });
});
