/**
 * `gait mcp proxy` end to end, in-process (mcp-and-export.md §4): exit codes per verdict, the output
 * never claims the call executed, the signed trace (verified without gait's code), exports, the
 * boundary refusals, the emergency stop, and file export failures (exit 1, decision still reported).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { runCli } from '../../src/transports/cli/main.js';
import { assertTraceSignedBy, gait, invalidInput, jsonLine, listTree, modeOf, readJson, V4_KEY_ID, V4_PRIVATE_KEY, V4_PUBLIC_KEY } from './support.js';

const POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
rules:
  - name: block-write
    priority: 10
    effect: block
    match:
      tool_names: [tool.write]
    reason_codes: [write_blocked]
    violations: [write_attempt]
  - name: approve-deploy
    priority: 20
    effect: require_approval
    match:
      tool_names: [tool.deploy]
    reason_codes: [deploy_needs_approval]
  - name: dry-run-plan
    priority: 30
    effect: dry_run
    match:
      tool_names: [tool.plan]
    reason_codes: [plan_only]
`;

const OPENAI_WRITE = '{"type":"function","function":{"name":"tool.write","arguments":"{\\"path\\":\\"/tmp/out.txt\\"}"}}';
const KEY = ['--key-mode', 'prod', '--private-key', 'key.private'];

function ws(): TestIo {
  const t = makeTestIo();
  writeFileSync(join(t.cwd, 'policy.yaml'), POLICY);
  writeFileSync(join(t.cwd, 'call.json'), OPENAI_WRITE);
  writeFileSync(join(t.cwd, 'key.private'), readFileSync(V4_PRIVATE_KEY));
  return t;
}

function call(t: TestIo, name: string, body: unknown): string {
  writeFileSync(join(t.cwd, name), typeof body === 'string' ? body : JSON.stringify(body));
  return name;
}

const proxy = (t: TestIo, ...args: string[]) => gait(t, 'mcp', 'proxy', ...args);

describe('gait mcp proxy: decisions', () => {
  it('block: exit 3, executed false, signed trace at the default path, trace digest and key id', async () => {
    const t = ws();
    const run = await proxy(t, '--policy', 'policy.yaml', '--call', 'call.json', '--adapter', 'openai', ...KEY, '--json');
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const out = jsonLine(run);
    const intentDigest = String(out['intent_digest']);
    const runId = `run_mcp_${intentDigest.slice(0, 12)}`;
    const tracePath = `trace_${runId}_20260205T000000.000000000.json`;
    assert.deepEqual(Object.keys(out).sort(), [
      'adapter', 'correlation_id', 'executed', 'intent_digest', 'key_id', 'matched_rule_ids', 'ok', 'phase', 'policy_digest', 'policy_id',
      'policy_version', 'reason_codes', 'relationship', 'run_id', 'tool_name', 'trace_digest', 'trace_id', 'trace_path', 'verdict', 'violations', 'warnings',
    ]);
    assert.equal(out['ok'], true);
    assert.equal(out['executed'], false);
    assert.equal(out['adapter'], 'openai');
    assert.equal(out['verdict'], 'block');
    assert.deepEqual(out['reason_codes'], ['write_blocked']);
    assert.deepEqual(out['violations'], ['write_attempt']);
    assert.deepEqual(out['matched_rule_ids'], ['block-write']);
    assert.equal(out['policy_id'], 'gait.gate.policy');
    assert.equal(out['policy_version'], '1.0.0');
    assert.equal(out['tool_name'], 'tool.write');
    assert.equal(out['run_id'], runId);
    assert.equal(out['trace_path'], tracePath);
    assert.equal(out['key_id'], V4_KEY_ID);
    assert.deepEqual(out['warnings'], ['standard profile applied fallback intent context; use --profile oss-prod for strict context enforcement']);
    const trace = readJson(join(t.cwd, tracePath));
    assert.equal(modeOf(join(t.cwd, tracePath)), 0o600);
    assertTraceSignedBy(trace, V4_PUBLIC_KEY);
    assert.equal(trace['verdict'], 'block');
    assert.equal(trace['trace_id'], out['trace_id']);
    assert.equal((trace['signature'] as Record<string, unknown>)['signed_digest'], out['trace_digest']);
    const verify = await gait(t, 'trace', 'verify', tracePath, '--public-key', V4_PUBLIC_KEY, '--json');
    assert.equal(verify.code, 0, verify.stdout);
  });

  const outcomes: [string, string, number, string[]][] = [
    ['tool.read', 'allow', 0, ['default_allow']],
    ['tool.deploy', 'require_approval', 4, ['approval_token_missing', 'deploy_needs_approval']],
    ['tool.plan', 'dry_run', 0, ['plan_only']],
  ];
  for (const [tool, verdict, exit, reasons] of outcomes) {
    it(`${verdict}: exit ${exit}, executed false`, async () => {
      const t = ws();
      const run = await proxy(t, 'policy.yaml', call(t, 'c.json', { name: tool, context: { identity: 'a', workspace: '/w', session_id: 's' } }), ...KEY, '--json');
      assert.equal(run.code, exit, run.stdout);
      const out = jsonLine(run);
      assert.equal(out['verdict'], verdict);
      assert.equal(out['executed'], false);
      assert.equal(out['ok'], true);
      assert.equal(out['adapter'], 'mcp');
      assert.deepEqual(out['reason_codes'], reasons);
      assert.equal(out['session_id'], 's');
      assert.equal(out['warnings'], undefined, 'no fallback warning with a full context');
    });
  }

  it('human output: verdict and trace lines, never "executed"', async () => {
    const t = ws();
    const run = await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--trace-out', 't.json');
    assert.equal(run.code, 3);
    assert.equal(
      run.stdout,
      'mcp proxy: verdict=block\ntrace: t.json\nreasons: write_blocked\nwarning: standard profile applied fallback intent context; use --profile oss-prod for strict context enforcement\n',
    );
  });

  it('reads the call from stdin with `-`; `mcp bridge` is an alias', async () => {
    const t = ws();
    const io = { ...t.io, stdin: () => Buffer.from(OPENAI_WRITE) };
    const code = await runCli(['mcp', 'bridge', '--policy', 'policy.yaml', '--call', '-', '--adapter', 'OPENAI', ...KEY, '--json', '--trace-out', 't.json'], io);
    assert.equal(code, 3);
    const out = JSON.parse(t.out()) as Record<string, unknown>;
    assert.equal(out['verdict'], 'block');
    assert.equal(out['trace_path'], 't.json');
  });

  it('takes run id, identity, workspace, risk class and session from flags', async () => {
    const t = ws();
    const run = await proxy(t, 'policy.yaml', call(t, 'c.json', { name: 'tool.read', context: { run_id: 'ctx-run' } }), ...KEY, '--json',
      '--run-id', 'my run', '--identity', 'alice', '--workspace', '/srv', '--risk-class', 'low', '--session-id', 'sess');
    const out = jsonLine(run);
    assert.equal(out['run_id'], 'run_my_run');
    assert.equal(out['session_id'], 'sess');
    assert.equal(out['trace_path'], 'trace_run_my_run_20260205T000000.000000000.json');
    const trace = readJson(join(t.cwd, 'trace_run_my_run_20260205T000000.000000000.json'));
    assert.deepEqual((trace['relationship'] as { agent_chain: unknown }).agent_chain, [{ identity: 'alice', role: 'requester' }]);
    const run2 = await proxy(t, 'policy.yaml', 'c.json', ...KEY, '--json');
    assert.equal(jsonLine(run2)['run_id'], 'run_ctx-run');
  });

  it('appends the normalized intent to --intents-out', async () => {
    const t = ws();
    await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--intents-out', 'out/intents.jsonl');
    await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--intents-out', 'out/intents.jsonl');
    const lines = readFileSync(join(t.cwd, 'out/intents.jsonl'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const line = JSON.parse(lines[0]!) as { intent_id: string; intent: Record<string, unknown> };
    assert.equal(line.intent_id, 'intent_1');
    assert.equal(line.intent['tool_name'], 'tool.write');
    assert.equal(line.intent['intent_digest'], jsonLine(await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json'))['intent_digest']);
    assert.equal(modeOf(join(t.cwd, 'out/intents.jsonl')), 0o600);
  });
});

describe('gait mcp proxy: runpack and pack (§4 steps 11–12)', () => {
  it('writes a reference-mode runpack and a run pack, both signed with the trace key', async () => {
    const t = ws();
    const run = await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json', '--runpack-out', 'out/runpack.zip', '--pack-out', 'out/pack.zip');
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(out['runpack_path'], 'out/runpack.zip');
    assert.equal(out['pack_path'], 'out/pack.zip');
    assert.match(String(out['pack_id']), /^[0-9a-f]{64}$/);
    assert.equal(modeOf(join(t.cwd, 'out/runpack.zip')), 0o600);
    const verify = jsonLine(await gait(t, 'verify', 'out/runpack.zip', '--public-key', V4_PUBLIC_KEY, '--json'));
    assert.equal(verify['ok'], true);
    assert.equal(verify['signature_status'], 'verified');
    assert.equal(verify['run_id'], out['run_id']);
    const pack = jsonLine(await gait(t, 'pack', 'verify', 'out/pack.zip', '--public-key', V4_PUBLIC_KEY, '--json'));
    assert.equal(pack['ok'], true);
    assert.equal((pack['verify'] as Record<string, unknown>)['pack_id'], out['pack_id']);
    const inspect = jsonLine(await gait(t, 'run', 'inspect', 'out/runpack.zip', '--json'));
    const entry = (inspect['entries'] as Record<string, unknown>[])[0]!;
    assert.deepEqual([inspect['capture_mode'], entry['intent_id'], entry['tool_name'], entry['status']], ['reference', 'intent_1', 'tool.write', 'error']);
    const human = await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--trace-out', 't.json', '--pack-out', 'p2.zip');
    assert.match(human.stdout, /^mcp proxy: verdict=block\ntrace: t\.json\npack: p2\.zip\n/);
  });
});

describe('gait mcp proxy: exports', () => {
  it('writes the decision event and the OTEL-style line, both bound to the signed trace', async () => {
    const t = ws();
    const run = await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json', '--trace-out', 'gait-out/trace_mcp.json',
      '--export-log-out', 'gait-out/mcp_events.jsonl', '--export-otel-out', 'gait-out/mcp_otel.jsonl');
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(out['log_export'], 'gait-out/mcp_events.jsonl');
    assert.equal(out['otel_export'], 'gait-out/mcp_otel.jsonl');
    const event = JSON.parse(readFileSync(join(t.cwd, 'gait-out/mcp_events.jsonl'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(event), [
      'created_at', 'producer_version', 'run_id', 'phase', 'trace_id', 'trace_path', 'trace_digest', 'trace_key_id', 'tool_name', 'verdict',
      'reason_codes', 'policy_digest', 'intent_digest',
    ]);
    assert.equal(event['trace_digest'], out['trace_digest']);
    assert.equal(event['trace_key_id'], V4_KEY_ID);
    assert.equal(event['trace_path'], 'gait-out/trace_mcp.json');
    // A SIEM copy is checked against the signed evidence (§6.1).
    const trace = readJson(join(t.cwd, String(event['trace_path'])));
    assertTraceSignedBy(trace, V4_PUBLIC_KEY);
    assert.equal((trace['signature'] as Record<string, unknown>)['signed_digest'], event['trace_digest']);
    const otel = readFileSync(join(t.cwd, 'gait-out/mcp_otel.jsonl'), 'utf8');
    assert.match(otel, /"time_unix_nano":315532800000000000,/);
    assert.ok(otel.includes(`"gait.trace_digest":"${String(out['trace_digest'])}"`));
    assert.equal(modeOf(join(t.cwd, 'gait-out/mcp_events.jsonl')), 0o600);
    assert.ok(!readFileSync(join(t.cwd, 'gait-out/mcp_events.jsonl'), 'utf8').includes('/tmp/out.txt'), 'no args by default');
  });

  it('opt-in args are exported redacted', async () => {
    const t = ws();
    call(t, 'secret.json', { type: 'function', function: { name: 'tool.read', arguments: { path: '/a', password: 'ref:vault/pw', note: 'Bearer abcdefgh' } } });
    await proxy(t, 'policy.yaml', 'secret.json', '--adapter', 'openai', ...KEY, '--export-log-out', 'e.jsonl', '--export-include-args');
    const event = JSON.parse(readFileSync(join(t.cwd, 'e.jsonl'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(event['args'], { path: '/a', password: '[redacted]', note: 'Bearer [redacted]' });
  });

  it('a failed file export: exit 1, ok false, error, decision fields still reported', async () => {
    const t = ws();
    mkdirSync(join(t.cwd, 'events.jsonl'));
    const run = await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json', '--export-log-out', 'events.jsonl');
    assert.equal(run.code, 1, run.stdout);
    const out = jsonLine(run);
    assert.equal(out['ok'], false);
    assert.equal(out['executed'], false);
    assert.equal(out['verdict'], 'block');
    assert.equal(typeof out['trace_digest'], 'string');
    assert.match(String(out['error']), /^export_failed=log: cannot append to `.*events\.jsonl`: /);
    assert.equal(out['error_code'], 'internal_failure');
  });
});

describe('gait mcp proxy: refusals (exit 6)', () => {
  it('missing policy or call', async () => {
    const t = ws();
    assert.equal(invalidInput(await proxy(t, '--json'))['error'], 'expected --policy <policy.yaml> and --call <tool_call.json|->');
    assert.equal(invalidInput(await proxy(t, 'policy.yaml', '--json'))['error'], 'expected --policy <policy.yaml> and --call <tool_call.json|->');
  });

  const bad: [string, string, string][] = [
    ['nope', OPENAI_WRITE, 'unsupported adapter: nope'],
    ['openai', '{"function":{"name":"tool.x","arguments":"[1]"}}', 'decode openai arguments: arguments must hold a JSON object'],
    ['openai', '{"tool_calls":[{"function":{"name":"tool.x"}}]}', 'tool call name is required'],
    ['anthropic', '{"type":"tool_use","name":"x","input":"text"}', 'parse anthropic tool call: input must be an object'],
    ['langchain', '{"tool":"x","tool_input":7}', 'decode langchain tool_input: tool_input must be a JSON object or a string'],
    ['claude_code', '{"tool_input":{}}', 'claude code tool call name is required'],
    ['mcp', '{"name":"x","targets":"/tmp"}', 'decode mcp tool call: targets must be an array'],
    ['mcp', '{"name":"x","context":{"context_envelope_path":"e.json"}}', 'call.context.context_envelope_path is not supported; use --context-envelope at the boundary'],
    ['mcp', '{"name":"x","context":{"auth_mode":"kerberos"}}', 'context.auth_mode must be one of off|none|token|oauth|oauth_dcr'],
    ['mcp', '{"name":"","script":{"steps":[{"name":"tool.a"}]}}', 'script intents are not supported yet (gate.md §B1)'],
    ['mcp', '{"name":"x","targets":[{"kind":"disk","value":"/a"}]}', 'unsupported target kind: disk'],
  ];
  for (const [adapter, body, message] of bad) {
    it(`${adapter}: ${message}`, async () => {
      const t = ws();
      const err = invalidInput(await proxy(t, 'policy.yaml', call(t, 'bad.json', body), '--adapter', adapter, ...KEY, '--json'));
      assert.equal(err['error'], message);
      assert.deepEqual(listTree(t.cwd), ['bad.json', 'call.json', 'key.private', 'policy.yaml'], 'no trace for a refused call');
    });
  }

  it('invalid JSON in the call file names the position', async () => {
    const t = ws();
    const err = invalidInput(await proxy(t, 'policy.yaml', call(t, 'bad.json', '{"name": '), ...KEY, '--json'));
    assert.equal(err['error_location'], 'bad.json:1:10');
  });

  it('flags of features not built yet are refused, never ignored', async () => {
    for (const [flag, text] of [['--kill-switch-state', 'flag `--kill-switch-state` is not supported yet: the kill switch (gate.md §B7)']] as const) {
      const t = ws();
      const err = invalidInput(await proxy(t, 'policy.yaml', 'call.json', flag, 'x', '--json'));
      assert.equal(err['error'], text);
      assert.equal(err['error_reason'], 'input_unsupported_feature');
    }
  });

  it('oss-prod: key mode prod, no default allow, explicit context', async () => {
    const t = ws();
    assert.equal(invalidInput(await proxy(t, 'policy.yaml', 'call.json', '--profile', 'oss-prod', '--json'))['error'], 'oss-prod profile requires --key-mode prod');
    assert.equal(
      invalidInput(await proxy(t, 'policy.yaml', call(t, 'c.json', { name: 'x', context: { identity: 'a', workspace: '/w', session_id: 's' } }), '--profile', 'oss-prod', ...KEY, '--json'))['error'],
      'oss-prod profile rejects policy default_verdict=allow; use default_verdict: block or require_approval',
    );
    writeFileSync(join(t.cwd, 'strict.yaml'), POLICY.replace('default_verdict: allow', 'default_verdict: block'));
    assert.equal(invalidInput(await proxy(t, 'strict.yaml', 'call.json', '--adapter', 'openai', '--profile', 'oss-prod', ...KEY, '--json'))['error'], 'context.identity is required in strict profile');
    const ok = await proxy(t, 'strict.yaml', 'c.json', '--profile', 'oss-prod', ...KEY, '--json');
    assert.equal(ok.code, 3);
  });

  it('a run id that normalizes to nothing is refused before anything is written (§4 step 10: `///` → empty)', async () => {
    const t = ws();
    const flag = invalidInput(await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--run-id', '///', '--runpack-out', 'r.zip', '--pack-out', 'p.zip', '--json'));
    assert.deepEqual(
      [flag['error'], flag['error_reason'], flag['hint']],
      ['--run-id `///` normalizes to an empty run id', undefined, 'a run id needs at least one letter, digit or `-` (other characters become `_`, leading and trailing `_` are dropped)'],
    );
    call(t, 'ctx.json', { name: 'tool.read', context: { run_id: '///' } });
    const context = invalidInput(await proxy(t, 'policy.yaml', 'ctx.json', ...KEY, '--runpack-out', 'r.zip', '--json'));
    assert.deepEqual([context['error'], context['error_reason']], ['call.context.run_id `///` normalizes to an empty run id', 'input_tool_call']);
    assert.deepEqual(listTree(t.cwd), ['call.json', 'ctx.json', 'key.private', 'policy.yaml'], 'no trace, runpack or pack');
  });

  it('a blank --run-id is "not given"; a usable --run-id wins over an unusable context run id', async () => {
    const t = ws();
    call(t, 'ctx.json', { name: 'tool.read', context: { run_id: 'ctx-run' } });
    assert.equal(jsonLine(await proxy(t, 'policy.yaml', 'ctx.json', ...KEY, '--run-id', '   ', '--json'))['run_id'], 'run_ctx-run');
    call(t, 'bad-ctx.json', { name: 'tool.read', context: { run_id: '///' } });
    const run = await proxy(t, 'policy.yaml', 'bad-ctx.json', ...KEY, '--run-id', 'job 7', '--json');
    assert.deepEqual([run.code, jsonLine(run)['run_id']], [0, 'run_job_7']);
  });

  it('a relative --trace-out with .. is refused before anything is written', async () => {
    const t = ws();
    assert.equal(invalidInput(await proxy(t, 'policy.yaml', 'call.json', '--trace-out', '../t.json', '--json'))['error'], 'relative trace path must not traverse parent directories');
  });
});

describe('gait mcp proxy: I/O failures (exit 1)', () => {
  it('a trace that cannot be written', async () => {
    const t = ws();
    mkdirSync(join(t.cwd, 'tdir'));
    const run = await proxy(t, 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--trace-out', 'tdir', '--json');
    assert.equal(run.code, 1);
    assert.equal(jsonLine(run)['error_category'], 'io_failure');
  });
});

describe('gait mcp proxy: emergency stop (§4 step 7)', () => {
  const jobCall = { name: 'tool.read', context: { identity: 'a', workspace: '/w', session_id: 's', job_id: 'job_1' } };

  it('job status unreadable: block with emergency_stop_state_unavailable and a warning', async () => {
    const t = ws();
    const run = await proxy(t, 'policy.yaml', call(t, 'c.json', jobCall), ...KEY, '--json');
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(out['verdict'], 'block');
    assert.equal(out['job_id'], 'job_1');
    assert.deepEqual(out['reason_codes'], ['default_allow', 'emergency_stop_state_unavailable']);
    assert.deepEqual(out['violations'], ['emergency_stop_active']);
    assert.match((out['warnings'] as string[])[0]!, /^job_status_unavailable=cannot read job state `.*gait-out\/jobs\/job_1\/state\.json`: no such file$/);
    const trace = readJson(join(t.cwd, String(out['trace_path'])));
    assertTraceSignedBy(trace, V4_PUBLIC_KEY);
    assert.equal(trace['verdict'], 'block', 'the signed trace states the final verdict');
    assert.deepEqual(trace['violations'], ['emergency_stop_active']);
  });

  it('job emergency-stopped: block with emergency_stop_preempted and a blocked-dispatch record', async () => {
    const t = ws();
    mkdirSync(join(t.cwd, 'jobs/job_1'), { recursive: true });
    writeFileSync(join(t.cwd, 'jobs/job_1/state.json'), '{"job_id":"job_1","status":"emergency_stopped"}');
    const out = jsonLine(await proxy(t, 'policy.yaml', call(t, 'c.json', jobCall), ...KEY, '--json', '--job-root', 'jobs'));
    assert.deepEqual(out['reason_codes'], ['default_allow', 'emergency_stop_preempted']);
    const record = JSON.parse(readFileSync(join(t.cwd, 'jobs/job_1/events.jsonl'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(record, {
      type: 'blocked_dispatch', job_id: 'job_1', actor: 'mcp-proxy', path: 'mcp.proxy', reason_code: 'emergency_stop_preempted',
      tool_name: 'tool.read', trace_id: out['trace_id'], created_at: '2026-02-05T00:00:00Z',
    });
  });

  it('job running: the decision is unchanged', async () => {
    const t = ws();
    mkdirSync(join(t.cwd, 'jobs/job_1'), { recursive: true });
    writeFileSync(join(t.cwd, 'jobs/job_1/state.json'), '{"status":"running"}');
    const run = await proxy(t, 'policy.yaml', call(t, 'c.json', jobCall), ...KEY, '--json', '--job-root', 'jobs');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run)['reason_codes'], ['default_allow']);
  });

  it('a job id that is not a plain name is never used as a path', async () => {
    const t = ws();
    const out = jsonLine(await proxy(t, 'policy.yaml', call(t, 'c.json', { ...jobCall, context: { ...jobCall.context, job_id: '../../etc' } }), ...KEY, '--json'));
    assert.deepEqual(out['reason_codes'], ['default_allow', 'emergency_stop_state_unavailable']);
    assert.deepEqual(out['warnings'], ['job_status_unavailable=invalid job id `../../etc`']);
  });
});
