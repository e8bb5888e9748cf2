/** MCP server trust evaluation and application (mcp-and-export.md §3.3, §3.4). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { McpTrustConfig } from '../../../src/policy/model.js';
import {
  applyMcpTrust,
  evaluateMcpTrust,
  maxAgeSecondsOf,
  tightenVerdict,
  toMcpTrustRecord,
  verifyRiskClass,
} from '../../../src/policy/mcp-trust.js';
import type { McpServerRef, TrustSnapshotState } from '../../../src/policy/mcp-trust.js';
import { parsePolicyYaml } from '../../../src/policy/parse.js';
import { parseTimestamp } from '../../../src/runtime/timestamp.js';
import { parseTrustSnapshot } from '../../../src/schema/v1/mcp-trust-snapshot.js';

const NOW = parseTimestamp('2026-02-05T00:00:00Z');

function config(extra: Partial<McpTrustConfig> = {}): McpTrustConfig {
  return {
    enabled: true,
    snapshot: 'trust.json',
    action: 'block',
    requiredRiskClasses: ['critical', 'high'],
    minScore: 0,
    maxAge: '',
    publisherAllowlist: [],
    requireRegistry: false,
    ...extra,
  };
}

function server(serverId: string, extra: Partial<McpServerRef> = {}): McpServerRef {
  return { serverId, serverName: '', publisher: '', source: '', ...extra };
}

function loaded(entries: unknown[]): TrustSnapshotState {
  return { status: 'loaded', path: 'trust.json', snapshot: parseTrustSnapshot({ schema_id: 'gait.mcp.trust_snapshot', schema_version: '1.0.0', entries }) };
}

const GOOD_ENTRY = {
  server_id: 'FS',
  server_name: ' Filesystem ',
  publisher: ' ModelContextProtocol ',
  source: 'NPM',
  status: 'Trusted',
  updated_at: '2026-02-04T12:00:00+02:00',
  score: 0.9,
  evidence_path: ' evidence/fs.json ',
};

describe('evaluateMcpTrust() cases 1-4 (the first match decides)', () => {
  it('1: a call without server id or name is missing / mcp_trust_identifier_missing, enforced for a required risk class', () => {
    const d = evaluateMcpTrust(config(), undefined, 'high', loaded([GOOD_ENTRY]), NOW);
    assert.deepEqual(toMcpTrustRecord(d), {
      status: 'missing',
      decision_source: 'trust.json',
      updated_at: '0001-01-01T00:00:00Z',
      required: true,
      enforced: true,
      reason_codes: ['mcp_trust_identifier_missing'],
    });
    const blank = evaluateMcpTrust(config(), server('  ', { serverName: ' ' }), 'low', loaded([]), NOW);
    assert.equal(blank.status, 'missing');
    assert.equal(blank.required, false);
    assert.equal(blank.enforced, false);
  });

  it('1 wins over an unavailable snapshot', () => {
    const d = evaluateMcpTrust(config(), undefined, 'high', { status: 'unavailable', path: 'trust.json', error: 'no such file' }, NOW);
    assert.deepEqual(d.reasonCodes, ['mcp_trust_identifier_missing']);
  });

  it('2: an unreadable snapshot is missing / mcp_trust_snapshot_unavailable', () => {
    const d = evaluateMcpTrust(config(), server(' fs ', { publisher: ' Acme ', source: 'NPM' }), 'critical', { status: 'unavailable', path: 'trust.json', error: 'x' }, NOW);
    assert.deepEqual(toMcpTrustRecord(d), {
      server_id: 'fs',
      publisher: 'acme',
      source: 'npm',
      status: 'missing',
      decision_source: 'trust.json',
      updated_at: '0001-01-01T00:00:00Z',
      required: true,
      enforced: true,
      reason_codes: ['mcp_trust_snapshot_unavailable'],
    });
  });

  it('3: an invalid snapshot is invalid / mcp_trust_snapshot_invalid', () => {
    const d = evaluateMcpTrust(config(), server('fs'), 'medium', { status: 'invalid', path: 'trust.json', error: 'x' }, NOW);
    assert.equal(d.status, 'invalid');
    assert.deepEqual(d.reasonCodes, ['mcp_trust_snapshot_invalid']);
    assert.equal(d.enforced, false, 'medium is not in the default [critical, high]');
  });

  it('4: a server not in the snapshot is unknown / mcp_trust_server_unknown', () => {
    const d = evaluateMcpTrust(config(), server('git'), 'high', loaded([GOOD_ENTRY]), NOW);
    assert.equal(d.status, 'unknown');
    assert.deepEqual(d.reasonCodes, ['mcp_trust_server_unknown']);
    assert.equal(d.enforced, true);
  });

  it('looks a server up by lowercased server_id, else by lowercased server_name', () => {
    assert.equal(evaluateMcpTrust(config(), server(' Fs '), 'high', loaded([GOOD_ENTRY]), NOW).status, 'trusted');
    const byName = evaluateMcpTrust(config(), server('', { serverName: 'FILESYSTEM' }), 'high', loaded([{ server_name: 'Filesystem', updated_at: '2026-01-01T00:00:00Z' }]), NOW);
    assert.equal(byName.status, 'trusted');
  });
});

describe('evaluateMcpTrust() entry checks', () => {
  it('a good entry is trusted / mcp_trust_verified, not enforced, with the entry identity and UTC updated_at', () => {
    const d = evaluateMcpTrust(config({ minScore: 0.5, maxAge: '168h0m0s' }), server('fs', { publisher: 'someone-else' }), 'high', loaded([GOOD_ENTRY]), NOW);
    assert.deepEqual(toMcpTrustRecord(d), {
      server_id: 'FS',
      server_name: 'Filesystem',
      publisher: 'modelcontextprotocol',
      source: 'npm',
      status: 'trusted',
      decision_source: 'evidence/fs.json',
      score: 0.9,
      threshold: 0.5,
      updated_at: '2026-02-04T10:00:00Z',
      max_age_seconds: 604800,
      required: true,
      reason_codes: ['mcp_trust_verified'],
    });
  });

  it('status other than empty/trusted/allow/pass is untrusted / mcp_trust_status_untrusted', () => {
    for (const status of ['', 'allow', 'PASS']) {
      assert.equal(evaluateMcpTrust(config(), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, status }]), NOW).status, 'trusted', status);
    }
    const d = evaluateMcpTrust(config(), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, status: 'revoked' }]), NOW);
    assert.equal(d.status, 'untrusted');
    assert.deepEqual(d.reasonCodes, ['mcp_trust_status_untrusted']);
    assert.equal(d.enforced, true);
  });

  it('a publisher outside a non-empty allowlist is untrusted / mcp_trust_publisher_untrusted; publisher_allowed records it', () => {
    const out = evaluateMcpTrust(config({ publisherAllowlist: ['acme'] }), server('fs'), 'high', loaded([GOOD_ENTRY]), NOW);
    assert.equal(out.status, 'untrusted');
    assert.deepEqual(out.reasonCodes, ['mcp_trust_publisher_untrusted']);
    assert.equal(out.publisherAllowed, false);
    const inList = evaluateMcpTrust(config({ publisherAllowlist: ['modelcontextprotocol'] }), server('fs'), 'high', loaded([GOOD_ENTRY]), NOW);
    assert.equal(inList.status, 'trusted');
    assert.equal(toMcpTrustRecord(inList)['publisher_allowed'], true);
  });

  it('require_registry needs signature_verified, publisher_allowed and (no pin or a verified pin)', () => {
    const reg = (rv: Record<string, boolean> | undefined) =>
      evaluateMcpTrust(config({ requireRegistry: true }), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, registry_verification: rv }]), NOW);
    assert.deepEqual(reg(undefined).reasonCodes, ['mcp_trust_registry_unverified']);
    assert.equal(reg(undefined).status, 'invalid');
    assert.equal(reg({ signature_verified: true, publisher_allowed: true }).status, 'trusted');
    assert.equal(reg({ signature_verified: true, publisher_allowed: true }).registryVerified, true);
    assert.equal(reg({ signature_verified: true, publisher_allowed: true, pin_present: true }).status, 'invalid');
    assert.equal(reg({ signature_verified: true, publisher_allowed: true, pin_present: true, pin_verified: true }).status, 'trusted');
    assert.equal(reg({ signature_verified: false, publisher_allowed: true }).status, 'invalid');
    assert.equal(reg({ signature_verified: true, publisher_allowed: false }).status, 'invalid');
  });

  it('max_age: updated_at + max_age before now, or no updated_at, is stale / mcp_trust_stale', () => {
    const aged = (updated_at: string | undefined) =>
      evaluateMcpTrust(config({ maxAge: '24h0m0s' }), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, updated_at }]), NOW);
    assert.equal(aged('2026-02-04T00:00:00Z').status, 'trusted', 'exactly max_age old is not stale');
    assert.equal(aged('2026-02-03T23:59:59.999999999Z').status, 'stale');
    assert.deepEqual(aged('2026-02-03T23:59:59Z').reasonCodes, ['mcp_trust_stale']);
    assert.equal(aged(undefined).status, 'stale');
    assert.equal(aged('0001-01-01T00:00:00Z').status, 'stale');
    const noMaxAge = evaluateMcpTrust(config(), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, updated_at: undefined }]), NOW);
    assert.equal(noMaxAge.status, 'trusted');
  });

  it('min_score > 0 and score below it is below_threshold / mcp_trust_below_threshold', () => {
    const d = evaluateMcpTrust(config({ minScore: 0.95 }), server('fs'), 'high', loaded([GOOD_ENTRY]), NOW);
    assert.equal(d.status, 'below_threshold');
    assert.deepEqual(d.reasonCodes, ['mcp_trust_below_threshold']);
    assert.equal(evaluateMcpTrust(config({ minScore: 0.9 }), server('fs'), 'high', loaded([GOOD_ENTRY]), NOW).status, 'trusted');
  });

  it('reasons accumulate, are sorted, and the status comes from the first reason in check order', () => {
    const entry = { ...GOOD_ENTRY, status: 'quarantined', score: 0.1, updated_at: '2025-01-01T00:00:00Z' };
    const d = evaluateMcpTrust(config({ minScore: 0.5, maxAge: '1h0m0s', requireRegistry: true, publisherAllowlist: ['acme'] }), server('fs'), 'high', loaded([entry]), NOW);
    assert.equal(d.status, 'untrusted');
    assert.deepEqual(d.reasonCodes, [
      'mcp_trust_below_threshold',
      'mcp_trust_publisher_untrusted',
      'mcp_trust_registry_unverified',
      'mcp_trust_stale',
      'mcp_trust_status_untrusted',
    ]);
    const registryFirst = evaluateMcpTrust(config({ minScore: 0.5, requireRegistry: true }), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, score: 0.1 }]), NOW);
    assert.equal(registryFirst.status, 'invalid');
    const staleFirst = evaluateMcpTrust(config({ minScore: 0.5, maxAge: '1h0m0s' }), server('fs'), 'high', loaded([{ ...GOOD_ENTRY, score: 0.1 }]), NOW);
    assert.equal(staleFirst.status, 'stale');
  });

  it('required follows the normalized risk class against required_risk_classes', () => {
    const d = evaluateMcpTrust(config({ requiredRiskClasses: ['medium'] }), server('git'), ' Medium ', loaded([]), NOW);
    assert.equal(d.required, true);
    assert.equal(d.enforced, true);
    assert.equal(evaluateMcpTrust(config({ requiredRiskClasses: ['medium'] }), server('git'), 'high', loaded([]), NOW).enforced, false);
  });
});

describe('applyMcpTrust() and tightenVerdict()', () => {
  const untrusted = evaluateMcpTrust(config(), server('git'), 'high', loaded([]), NOW);
  const notEnforced = evaluateMcpTrust(config(), server('git'), 'low', loaded([]), NOW);

  it('merges reason codes (unique, sorted) and leaves the verdict when not enforced', () => {
    assert.deepEqual(applyMcpTrust({ verdict: 'allow', reasonCodes: ['zz', 'aa'], violations: [] }, notEnforced, 'block'), {
      verdict: 'allow',
      reasonCodes: ['aa', 'mcp_trust_server_unknown', 'zz'],
      violations: [],
    });
  });

  it('when enforced, tightens to the action and adds mcp_trust_policy', () => {
    assert.deepEqual(applyMcpTrust({ verdict: 'allow', reasonCodes: ['default_allow'], violations: [] }, untrusted, 'block'), {
      verdict: 'block',
      reasonCodes: ['default_allow', 'mcp_trust_server_unknown'],
      violations: ['mcp_trust_policy'],
    });
    assert.equal(applyMcpTrust({ verdict: 'allow', reasonCodes: [], violations: [] }, untrusted, 'require_approval').verdict, 'require_approval');
  });

  it('block and dry_run stay; otherwise block wins, then require_approval', () => {
    assert.equal(tightenVerdict('block', 'require_approval'), 'block');
    assert.equal(tightenVerdict('dry_run', 'block'), 'dry_run');
    assert.equal(tightenVerdict('require_approval', 'block'), 'block');
    assert.equal(tightenVerdict('require_approval', 'require_approval'), 'require_approval');
    assert.equal(tightenVerdict('allow', 'require_approval'), 'require_approval');
  });

  it('a verified server adds mcp_trust_verified and changes nothing else', () => {
    const trusted = evaluateMcpTrust(config(), server('fs'), 'high', loaded([GOOD_ENTRY]), NOW);
    assert.deepEqual(applyMcpTrust({ verdict: 'allow', reasonCodes: ['r'], violations: ['v'] }, trusted, 'block'), {
      verdict: 'allow',
      reasonCodes: ['mcp_trust_verified', 'r'],
      violations: ['v'],
    });
  });
});

describe('maxAgeSecondsOf() and verifyRiskClass()', () => {
  it('renders the canonical max_age as whole seconds', () => {
    assert.equal(maxAgeSecondsOf(''), 0);
    assert.equal(maxAgeSecondsOf('168h0m0s'), 604800);
    assert.equal(maxAgeSecondsOf('1.5s'), 1);
  });

  it('takes the flag, else the highest-priority required class, else high (§3.4)', () => {
    assert.equal(verifyRiskClass(config(), ' MEDIUM '), 'medium');
    assert.equal(verifyRiskClass(config({ requiredRiskClasses: ['high', 'critical'] }), ''), 'critical');
    assert.equal(verifyRiskClass(config({ requiredRiskClasses: ['low', 'medium'] }), ''), 'medium');
    assert.equal(verifyRiskClass(config({ requiredRiskClasses: ['custom', 'other'] }), ''), 'custom');
    assert.equal(verifyRiskClass(undefined, ''), 'high');
  });

  it('reads its config from a parsed policy (gate.md §A4.2)', () => {
    const policy = parsePolicyYaml('schema_id: gait.gate.policy\nschema_version: 1.0.0\nmcp_trust:\n  snapshot: t.json\n  max_age: 168h\n  action: require_approval\nrules: []\n');
    assert.ok(policy.mcpTrust !== undefined);
    assert.equal(policy.mcpTrust.maxAge, '168h0m0s');
    assert.equal(verifyRiskClass(policy.mcpTrust, ''), 'critical');
  });
});
