/**
 * A rejected reload is exported (mcp-and-export.md §5.3; docs/contracts/exports.md "Service events";
 * ADR 0011): through `createDecisionService` with the real JSONL, OTEL-style and OTLP/HTTP exporters,
 * a policy replaced by garbage yields exactly one `policy_reload_failed` line per file exporter and one
 * WARN log record at a real receiver, while /healthz reports stale and decisions keep flowing. A
 * failing or throwing exporter never fails the reload path.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonlExporter } from '../../../../src/exporters/jsonl-exporter.js';
import { resolveOtlpConfig } from '../../../../src/exporters/otlp-config.js';
import { createOtlpExporter } from '../../../../src/exporters/otlp-http.js';
import type { DecisionExporter, ExportStats } from '../../../../src/exporters/types.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { callBody, jsonOf, makeService, post } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';
import { attributesOf, startReceiver } from '../../exporters/otlp-receiver.js';
import type { Receiver } from '../../exporters/otlp-receiver.js';

const SERVE_POLICY_DIGEST = 'f7a764befb31ad244280b954c90c909177a48589367650026d60f8800cc6ee56';
const GARBAGE = 'rules: [\n  - {name: broken\n';
const GARBAGE_DIGEST = '029bca379bb22696542cfeb6bb748f58f49432d5bb4ca2362ba3d85c6c209326';
const GARBAGE_ERROR = 'policy.yaml:2:3: parse policy yaml: block collections are not allowed within flow collections';

const fixtures: ServeFixture[] = [];
const dirs: string[] = [];
const receivers: Receiver[] = [];
after(async () => {
  for (const f of fixtures) await f.cleanup();
  for (const r of receivers) await r.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function outDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gait-reload-export-'));
  dirs.push(d);
  return d;
}

function fixture(...args: Parameters<typeof makeService>): ServeFixture {
  const f = makeService(...args);
  fixtures.push(f);
  return f;
}

function fileExporters(dir: string): { log: DecisionExporter; otel: DecisionExporter } {
  return {
    log: createJsonlExporter({ path: join(dir, 'events.jsonl'), format: 'log' }),
    otel: createJsonlExporter({ path: join(dir, 'otel.jsonl'), format: 'otel' }),
  };
}

function replaceFile(f: ServeFixture, name: string, text: string, bump = 1): void {
  const tmp = join(f.cwd, `${name}.new`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(f.cwd, name));
  const t = new Date(Date.UTC(2026, 1, 5) + bump * 1000);
  utimesSync(join(f.cwd, name), t, t);
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

async function health(f: ServeFixture): Promise<Record<string, unknown>> {
  return jsonOf(await f.service.fetch(new Request('http://127.0.0.1/healthz')));
}

async function verdictOf(f: ServeFixture, tool: string): Promise<unknown> {
  return (await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody(tool)))))['verdict'];
}

describe('policy_reload_failed is exported', () => {
  it('writes the exact log and OTEL-style lines once; /healthz stale; decisions keep flowing', async () => {
    const dir = outDir();
    const { log, otel } = fileExporters(dir);
    const f = fixture({ exporters: [log, otel] });
    replaceFile(f, 'policy.yaml', GARBAGE);
    assert.equal(f.service.checkPolicy(), false);

    assert.deepEqual(lines(join(dir, 'events.jsonl')), [
      `{"event":"policy_reload_failed","created_at":"2026-02-05T00:00:00Z","producer_version":"0.1.0","policy_path":"policy.yaml","rejected_file_digest":"${GARBAGE_DIGEST}","policy_digest":"${SERVE_POLICY_DIGEST}","error":"${GARBAGE_ERROR}"}`,
    ]);
    assert.deepEqual(lines(join(dir, 'otel.jsonl')), [
      `{"attributes":{"gait.error":"${GARBAGE_ERROR}","gait.event":"policy_reload_failed","gait.policy_digest":"${SERVE_POLICY_DIGEST}","gait.policy_path":"policy.yaml","gait.producer_version":"0.1.0","gait.rejected_file_digest":"${GARBAGE_DIGEST}","gait.snapshot_path":""},"body":"gait.mcp.serve.policy_reload_failed","severity_text":"WARN","time_unix_nano":1770249600000000000}`,
    ]);
    const h = await health(f);
    assert.equal(h['policy_status'], 'stale');
    assert.equal(h['policy_digest'], SERVE_POLICY_DIGEST);
    assert.equal(h['policy_error'], GARBAGE_ERROR);
    assert.equal(h['export_failures'], 0);
    assert.deepEqual(f.logs, [{ kind: 'policy_reload_failed', error: GARBAGE_ERROR, fileDigest: GARBAGE_DIGEST, policyDigest: SERVE_POLICY_DIGEST }]);

    // The same rejected file again is neither logged nor exported again.
    replaceFile(f, 'policy.yaml', GARBAGE, 2);
    f.service.checkPolicy();
    assert.equal(lines(join(dir, 'events.jsonl')).length, 1);

    // Decisions keep flowing on the last valid policy, into the same files; a decision-only consumer
    // tells the lines apart by the `event` member (log) / the `body` (OTEL-style).
    assert.equal(await verdictOf(f, 'tool.search'), 'allow');
    const logLines = lines(join(dir, 'events.jsonl')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(logLines.map((l) => l['event'] ?? l['verdict']), ['policy_reload_failed', 'allow']);
    assert.deepEqual(
      logLines.filter((l) => !('event' in l)).map((l) => [l['tool_name'], l['policy_digest']]),
      [['tool.search', SERVE_POLICY_DIGEST]],
    );
    const bodies = lines(join(dir, 'otel.jsonl')).map((l) => (JSON.parse(l) as Record<string, unknown>)['body']);
    assert.deepEqual(bodies, ['gait.mcp.serve.policy_reload_failed', 'gait.mcp.proxy.decision']);
  });

  it('a deleted policy file: no rejected_file_digest, the read error; strict mode: policy_digest ""', async () => {
    const dir = outDir();
    const { log } = fileExporters(dir);
    const f = fixture({ exporters: [log] });
    rmSync(join(f.cwd, 'policy.yaml'));
    f.service.checkPolicy();
    assert.deepEqual(lines(join(dir, 'events.jsonl')), [
      `{"event":"policy_reload_failed","created_at":"2026-02-05T00:00:00Z","producer_version":"0.1.0","policy_path":"policy.yaml","policy_digest":"${SERVE_POLICY_DIGEST}","error":"cannot read policy \`policy.yaml\`: no such file"}`,
    ]);

    const strictDir = outDir();
    const strict = fixture({ exporters: [fileExporters(strictDir).log], policyReloadStrict: true });
    replaceFile(strict, 'policy.yaml', GARBAGE);
    strict.service.checkPolicy();
    assert.deepEqual(lines(join(strictDir, 'events.jsonl')), [
      `{"event":"policy_reload_failed","created_at":"2026-02-05T00:00:00Z","producer_version":"0.1.0","policy_path":"policy.yaml","rejected_file_digest":"${GARBAGE_DIGEST}","policy_digest":"","error":"${GARBAGE_ERROR}"}`,
    ]);
  });

  it('a secret echoed by the parser is redacted in the export (the file path stays)', async () => {
    const dir = outDir();
    const f = fixture({ exporters: [fileExporters(dir).log] });
    replaceFile(f, 'policy.yaml', 'schema_id: gait.gate.policy\nschema_version: 1.0.0\nrules:\n  - name: "ghp_abcdefghijklmnop1234567890"\n    effect: nope\n');
    f.service.checkPolicy();
    const line = JSON.parse(lines(join(dir, 'events.jsonl'))[0] ?? '{}') as Record<string, unknown>;
    assert.equal(line['error'], 'policy.yaml:5:13: invalid rule effect "nope" for [redacted]');
    assert.match(String((await health(f))['policy_error']), /ghp_abcdefghijklmnop1234567890/, '/healthz is local and unchanged');
  });
});

describe('trust_snapshot_reload_failed is exported', () => {
  const TRUST_POLICY = 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\nmcp_trust:\n  snapshot: trust.json\n  action: block\nrules: []\n';
  const SNAPSHOT = JSON.stringify({ schema_id: 'gait.mcp.trust_snapshot', schema_version: '1.0.0', entries: [{ server_id: 'fs', status: 'trusted', updated_at: '2026-02-01T00:00:00Z' }] });

  it('a broken snapshot keeps the last good one and exports the snapshot path and digest', async () => {
    const dir = outDir();
    const { log, otel } = fileExporters(dir);
    const f = fixture({ exporters: [log, otel] }, { 'trust.json': SNAPSHOT });
    replaceFile(f, 'policy.yaml', TRUST_POLICY);
    assert.equal(f.service.checkPolicy(), true);
    const live = (await health(f))['policy_digest'];
    assert.equal(live, '7e8943a1037791f98ae83cefb6a2072014c59a97cb68cbceda1c0972cdbbed60');
    replaceFile(f, 'trust.json', '{broken', 2);
    f.service.checkPolicy();
    assert.equal((await health(f))['trust_snapshot_status'], 'stale');
    const [event] = lines(join(dir, 'events.jsonl')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(event, {
      event: 'trust_snapshot_reload_failed',
      created_at: '2026-02-05T00:00:00Z',
      producer_version: '0.1.0',
      policy_path: 'policy.yaml',
      snapshot_path: 'trust.json',
      rejected_file_digest: 'be302461cda285db3ed2d45fb767b23e08ca8808b35a638009937df22b332d73',
      policy_digest: live,
      error: "cannot parse trust snapshot `trust.json`: line 1, column 2: expected property name or '}'",
    });
    const otelLine = JSON.parse(lines(join(dir, 'otel.jsonl'))[0] ?? '{}') as { attributes: Record<string, unknown>; body: string; severity_text: string };
    assert.equal(otelLine.body, 'gait.mcp.serve.trust_snapshot_reload_failed');
    assert.equal(otelLine.severity_text, 'WARN');
    assert.equal(otelLine.attributes['gait.snapshot_path'], 'trust.json');
    assert.equal(otelLine.attributes['gait.event'], 'trust_snapshot_reload_failed');
  });

  it('a new valid policy whose snapshot no longer loads: policy_reloaded (logged) then trust_snapshot_reload_failed with the new digest', async () => {
    const dir = outDir();
    const f = fixture({ exporters: [fileExporters(dir).log] }, { 'trust.json': SNAPSHOT });
    replaceFile(f, 'policy.yaml', TRUST_POLICY);
    f.service.checkPolicy();
    writeFileSync(join(f.cwd, 'trust.json'), '{broken');
    replaceFile(f, 'policy.yaml', TRUST_POLICY.replace('rules: []', 'rules:\n  - name: r\n    effect: block\n    match:\n      tool_names: [tool.x]\n'), 2);
    assert.equal(f.service.checkPolicy(), true);
    const live = (await health(f))['policy_digest'];
    assert.equal(live, '35e5ae32c4c098a2bc19606596de04ae502b058e684292efe74faa7b8317846d', 'the new policy is live');
    assert.deepEqual(f.logs.map((e) => e.kind), ['policy_reloaded', 'policy_reloaded', 'trust_snapshot_reload_failed']);
    const exported = lines(join(dir, 'events.jsonl')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(exported.map((e) => [e['event'], e['snapshot_path'], e['rejected_file_digest'], e['policy_digest']]), [
      ['trust_snapshot_reload_failed', 'trust.json', 'be302461cda285db3ed2d45fb767b23e08ca8808b35a638009937df22b332d73', live],
    ]);
  });
});

describe('OTLP/HTTP', () => {
  it('delivers one WARN log record with the gait.* attributes to a real receiver', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const config = resolveOtlpConfig({ endpoint: r.url }, {});
    assert.ok(config !== undefined);
    const otlp = createOtlpExporter({ config, serviceVersion: '0.1.0', clock: fixedClock({ seconds: 1_770_249_601, nanos: 5, offsetMinutes: 0 }), batchDelayMs: 0 });
    const f = fixture({ exporters: [otlp] });
    replaceFile(f, 'policy.yaml', GARBAGE);
    f.service.checkPolicy();
    await otlp.flush();
    const [record, ...rest] = r.records();
    assert.deepEqual(rest, []);
    assert.deepEqual(record, {
      timeUnixNano: '1770249600000000000',
      observedTimeUnixNano: '1770249601000000005',
      severityNumber: 13,
      severityText: 'WARN',
      body: { stringValue: 'gait.mcp.serve.policy_reload_failed' },
      attributes: [
        { key: 'gait.error', value: { stringValue: GARBAGE_ERROR } },
        { key: 'gait.event', value: { stringValue: 'policy_reload_failed' } },
        { key: 'gait.policy_digest', value: { stringValue: SERVE_POLICY_DIGEST } },
        { key: 'gait.policy_path', value: { stringValue: 'policy.yaml' } },
        { key: 'gait.producer_version', value: { stringValue: '0.1.0' } },
        { key: 'gait.rejected_file_digest', value: { stringValue: GARBAGE_DIGEST } },
        { key: 'gait.snapshot_path', value: { stringValue: '' } },
      ],
    });
    assert.equal(r.requests[0]?.url, '/v1/logs');
    assert.deepEqual(otlp.stats(), { exported: 1, failed: 0, dropped: 0, queued: 0, retries: 0, lastError: '' });
    // A decision afterwards is still an INFO decision record.
    assert.equal(await verdictOf(f, 'tool.search'), 'allow');
    await otlp.flush();
    const decision = r.records()[1];
    assert.equal(decision?.severityText, 'INFO');
    assert.equal(decision === undefined ? undefined : attributesOf(decision)['gait.verdict']?.stringValue, 'allow');
  });
});

function throwingExporter(): DecisionExporter & { decisions: number } {
  const stats: ExportStats = { exported: 0, failed: 0, dropped: 0, queued: 0, retries: 0, lastError: '' };
  const e = {
    name: 'broken',
    decisions: 0,
    export() {
      e.decisions += 1;
      return { status: 'written' as const, warnings: [] };
    },
    exportServiceEvent(): never {
      throw new Error('sink exploded at https://user:pw@siem.example/x');
    },
    flush: async () => undefined,
    close: async () => undefined,
    stats: () => stats,
  };
  return e;
}

describe('a failing exporter never fails the reload path', () => {
  it('a throwing exporter is logged (redacted); the other exporters still get the event; reload and decisions go on', async () => {
    const dir = outDir();
    const broken = throwingExporter();
    const decisionOnly: DecisionExporter = { name: 'legacy', export: () => ({ status: 'written', warnings: [] }), flush: async () => undefined, close: async () => undefined, stats: () => broken.stats() };
    const { log } = fileExporters(dir);
    const f = fixture({ exporters: [broken, decisionOnly, log] });
    replaceFile(f, 'policy.yaml', GARBAGE);
    assert.equal(f.service.checkPolicy(), false);
    assert.deepEqual(f.logs.slice(1), [{ kind: 'export_warning', exporter: 'broken', message: 'export_failed=broken: sink exploded at https://%5Bredacted%5D@siem.example/x' }]);
    assert.equal(lines(join(dir, 'events.jsonl')).length, 1);
    assert.equal(await verdictOf(f, 'tool.search'), 'allow');
    assert.equal(broken.decisions, 1);
    replaceFile(f, 'policy.yaml', 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\nrules: []\n', 2);
    assert.equal(f.service.checkPolicy(), true, 'a later valid policy still loads');
  });

  it('an export file that cannot be written is counted on /healthz; the service stays stale and evaluating', async () => {
    const dir = outDir();
    mkdirSync(join(dir, 'events.jsonl'));
    const f = fixture({ exporters: [createJsonlExporter({ path: join(dir, 'events.jsonl'), format: 'log' })] });
    replaceFile(f, 'policy.yaml', GARBAGE);
    assert.equal(f.service.checkPolicy(), false);
    const h = await health(f);
    assert.equal(h['policy_status'], 'stale');
    assert.equal(h['export_failures'], 1);
    assert.equal(await verdictOf(f, 'tool.search'), 'allow');
  });
});
