/**
 * The decision service in-process (mcp-and-export.md §5.4, §5.5, §5.7; STYLE.md §4 status mapping):
 * endpoints and their framing, verdict statuses, and every refusal with its literal status and body.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyTrace } from '../../../../src/artifacts/trace/verify.js';
import type { DecisionExporter, ExportStats } from '../../../../src/exporters/types.js';
import { callBody, jsonOf, post, serviceFixtures, SERVE_KEY, SERVE_VERIFY_KEY } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixture = serviceFixtures();

const plain = fixture();

describe('POST /v1/evaluate (JSON)', () => {
  it('answers an allowed call with the §4 output plus exit_code, and writes the signed trace', async () => {
    const res = await plain.service.fetch(post('/v1/evaluate', callBody('tool.search')));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = await jsonOf(res);
    assert.equal(body['ok'], true);
    assert.equal(body['executed'], false);
    assert.equal(body['adapter'], 'mcp');
    assert.equal(body['verdict'], 'allow');
    assert.deepEqual(body['reason_codes'], ['search_allowed']);
    assert.equal(body['exit_code'], 0);
    assert.equal(body['tool_name'], 'tool.search');
    assert.equal(body['policy_id'], 'gait.gate.policy');
    assert.equal(body['policy_version'], '1.0.0');
    assert.equal(body['key_id'], SERVE_KEY.keyId);
    assert.equal(body['run_id'], `run_mcp_${String(body['intent_digest']).slice(0, 12)}`);
    assert.match(String(body['trace_path']), /^traces\/trace_run_mcp_[0-9a-f]{12}_20260205T000000\.\d{9}\.json$/);
    assert.deepEqual(body['warnings'], ['standard profile applied fallback intent context; use --profile oss-prod for strict context enforcement']);
    assert.equal('correlation_id' in body, false, '§5.7: no correlation_id');
    const trace = JSON.parse(readFileSync(join(plain.cwd, String(body['trace_path'])), 'utf8')) as Record<string, unknown>;
    assert.equal(trace['trace_id'], body['trace_id']);
    assert.equal((trace['signature'] as Record<string, unknown>)['signed_digest'], body['trace_digest']);
    assert.equal(verifyTrace(trace, SERVE_VERIFY_KEY).ok, true);
  });

  it('reports block 3, require_approval 4 and dry_run 0 as exit_code, all with 200 in compat mode', async () => {
    const cases: [string, string, number][] = [
      ['tool.write', 'block', 3],
      ['tool.delete', 'require_approval', 4],
      ['tool.plan', 'dry_run', 0],
    ];
    for (const [tool, verdict, exit] of cases) {
      const res = await plain.service.fetch(post('/v1/evaluate', callBody(tool)));
      assert.equal(res.status, 200, tool);
      const body = await jsonOf(res);
      assert.equal(body['verdict'], verdict, tool);
      assert.equal(body['exit_code'], exit, tool);
    }
  });

  it('takes the request adapter, else the server default, and the request run_id', async () => {
    const res = await plain.service.fetch(
      post('/v1/evaluate', { adapter: ' OpenAI ', run_id: 'job 7/a', call: { type: 'function', function: { name: 'tool.search', arguments: '{"q":"x"}' } } }),
    );
    const body = await jsonOf(res);
    assert.equal(body['adapter'], 'openai');
    assert.equal(body['run_id'], 'run_job_7_a');
    assert.equal(body['verdict'], 'allow');
    const openai = fixture({ adapter: 'openai' });
    const viaDefault = await jsonOf(await openai.service.fetch(post('/v1/evaluate', { call: { function: { name: 'tool.search', arguments: {} } } })));
    assert.equal(viaDefault['adapter'], 'openai');
  });

  it('accepts a ready IntentRequest as `intent` (extension)', async () => {
    const intent = {
      tool_name: 'tool.search',
      args: {},
      context: { identity: 'alice', workspace: '/w', risk_class: 'low' },
    };
    const body = await jsonOf(await plain.service.fetch(post('/v1/evaluate', { intent })));
    assert.equal(body['adapter'], 'intent');
    assert.equal(body['verdict'], 'allow');
    assert.equal(body['warnings'], undefined);
  });
});

describe('strict verdict statuses (--http-verdict-status strict)', () => {
  const strict = fixture({ httpVerdictStatus: 'strict' });
  it('answers allow 200, block 403, require_approval 409, dry_run 409, with the decision body', async () => {
    const cases: [string, number, string][] = [
      ['tool.search', 200, 'allow'],
      ['tool.write', 403, 'block'],
      ['tool.delete', 409, 'require_approval'],
      ['tool.plan', 409, 'dry_run'],
    ];
    for (const [tool, status, verdict] of cases) {
      const res = await strict.service.fetch(post('/v1/evaluate', callBody(tool)));
      assert.equal(res.status, status, tool);
      assert.equal((await jsonOf(res))['verdict'], verdict, tool);
    }
  });
});

describe('SSE and NDJSON variants', () => {
  it('/v1/evaluate/sse sends exactly one `evaluate` event, then ends', async () => {
    const res = await plain.service.fetch(post('/v1/evaluate/sse', callBody('tool.write')));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('connection'), 'keep-alive');
    const text = await res.text();
    assert.match(text, /^event: evaluate\ndata: \{.*\}\n\n$/s);
    const data = JSON.parse(text.slice('event: evaluate\ndata: '.length, -2)) as Record<string, unknown>;
    assert.equal(data['verdict'], 'block');
    assert.equal(data['exit_code'], 3);
  });

  it('/v1/evaluate/stream sends exactly one JSON line', async () => {
    const res = await plain.service.fetch(post('/v1/evaluate/stream', callBody('tool.search')));
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
    const text = await res.text();
    assert.equal(text.endsWith('\n'), true);
    assert.equal(text.slice(0, -1).includes('\n'), false);
    assert.equal((JSON.parse(text) as Record<string, unknown>)['verdict'], 'allow');
  });

  it('uses the strict statuses on the streaming variants too', async () => {
    const strict = fixture({ httpVerdictStatus: 'strict' });
    assert.equal((await strict.service.fetch(post('/v1/evaluate/sse', callBody('tool.write')))).status, 403);
    assert.equal((await strict.service.fetch(post('/v1/evaluate/stream', callBody('tool.delete')))).status, 409);
  });
});

describe('GET /healthz', () => {
  it('reports the live policy digest and status, without auth', async () => {
    const authed = fixture({ authToken: 's3cret' });
    const res = await authed.service.fetch(new Request('http://localhost:8787/healthz'));
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.deepEqual(Object.keys(body).sort(), ['export_failures', 'in_flight', 'ok', 'policy_digest', 'policy_status', 'service', 'sync_failures']);
    assert.equal(body['service'], 'gait.mcp.serve');
    assert.equal(body['policy_status'], 'current');
    assert.match(String(body['policy_digest']), /^[0-9a-f]{64}$/);
    assert.equal(body['export_failures'], 0);
    assert.equal(body['sync_failures'], 0);
  });

  it('answers other methods 405 `expected GET`', async () => {
    const res = await plain.service.fetch(post('/healthz', {}));
    assert.equal(res.status, 405);
    assert.deepEqual(await jsonOf(res), { ok: false, error: 'expected GET', error_code: 'method_not_allowed' });
  });
});

async function refusal(f: ServeFixture, req: Request): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await f.service.fetch(req);
  return { status: res.status, body: await jsonOf(res), headers: res.headers };
}

describe('refusals: 405, 415, 413, 400', () => {
  it('wrong method on the evaluate endpoints → 405 `expected POST`', async () => {
    for (const path of ['/v1/evaluate', '/v1/evaluate/sse', '/v1/evaluate/stream']) {
      const r = await refusal(plain, new Request(`http://127.0.0.1${path}`));
      assert.equal(r.status, 405, path);
      assert.deepEqual(r.body, { ok: false, error: 'expected POST', error_code: 'method_not_allowed' });
    }
  });

  it('an unknown path → 404', async () => {
    const r = await refusal(plain, new Request('http://127.0.0.1/v2/evaluate'));
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { ok: false, error: 'not found', error_code: 'not_found' });
  });

  it('content type other than application/json → 415; an unparsable header → 415; parameters are fine', async () => {
    const wrong = await refusal(plain, post('/v1/evaluate', callBody('tool.search'), { 'content-type': 'text/plain' }));
    assert.equal(wrong.status, 415);
    assert.deepEqual(wrong.body, {
      ok: false,
      error: 'content-type must be application/json',
      error_code: 'invalid_input',
      error_category: 'invalid_input',
      error_reason: 'input_content_type',
      retryable: false,
      exit_code: 6,
    });
    const bad = await refusal(plain, post('/v1/evaluate', callBody('tool.search'), { 'content-type': 'application json;;=' }));
    assert.equal(bad.status, 415);
    assert.equal(bad.body['error'], 'invalid content-type header');
    const ok = await plain.service.fetch(post('/v1/evaluate', callBody('tool.search'), { 'content-type': 'Application/JSON; charset=utf-8' }));
    assert.equal(ok.status, 200);
  });

  it('a body over --max-request-bytes → 413, by declared length and by streamed length', async () => {
    const small = fixture({ maxRequestBytes: 64 });
    const big = JSON.stringify(callBody('tool.search', { args: { q: 'x'.repeat(100) } }));
    const declared = await refusal(small, post('/v1/evaluate', big));
    assert.equal(declared.status, 413);
    assert.equal(declared.body['error'], 'request body exceeds max-request-bytes');
    assert.equal(declared.body['error_reason'], 'input_too_large');
    const chunks = [new TextEncoder().encode(big.slice(0, 40)), new TextEncoder().encode(big.slice(40))];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    const streamed = await refusal(small, new Request('http://127.0.0.1/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit));
    assert.equal(streamed.status, 413);
  });

  it('strict decoding: unknown member, trailing data, not an object, no call, both call and intent', async () => {
    const cases: [unknown, string][] = [
      [{ call: { name: 'tool.search' }, extra: 1 }, 'decode request: unknown field "extra"'],
      ['{"call":{"name":"tool.search"}} {"call":{}}', 'request body must contain a single JSON object'],
      ['{"call":{"name":"tool.search"}} x', 'request body must contain a single JSON object'],
      ['[]', 'decode request: request must be a JSON object'],
      ['', 'decode request: empty body'],
      [{ adapter: 1, call: { name: 'a' } }, 'decode request: adapter must be a string'],
      [{ call: [] }, 'decode request: call must be an object'],
      [{ call: null }, 'request.call is required'],
      [{ call: {} }, 'request.call is required'],
      [{ run_id: 'r' }, 'request.call is required'],
      [{ call: { name: 'a' }, intent: { tool_name: 'a' } }, 'request must contain either call or intent, not both'],
      [{ call: { name: 'tool.search' }, trace_path: 't.json' }, 'request.trace_path is not allowed by server configuration'],
      [{ call: { name: 'tool.search' }, runpack_out: 'r.zip' }, 'request.runpack_out is not allowed by server configuration'],
      [{ call: { name: 'tool.search' }, pack_out: 'p.zip' }, 'request.pack_out is not allowed by server configuration'],
      [{ call: { name: 'tool.search' }, session_journal: 's.jsonl' }, 'request.session_journal is not allowed by server configuration'],
      [{ call: { name: 'tool.search' }, emit_pack: true }, 'request.emit_pack requires server --pack-dir'],
    ];
    for (const [body, message] of cases) {
      const r = await refusal(plain, post('/v1/evaluate', body));
      assert.equal(r.status, 400, message);
      assert.equal(r.body['ok'], false);
      assert.equal(r.body['error'], message);
      assert.equal(r.body['error_code'], 'invalid_input', message);
      assert.equal(r.body['exit_code'], 6, message);
    }
    const named = await refusal(plain, post('/v1/evaluate', { CALL: { name: 'tool.search' }, Run_Id: 'r' }));
    assert.equal(named.status, 200, 'members match case-insensitively (gate.md §A1.4)');
  });

  it('adapter and payload errors → 400 with the adapter messages', async () => {
    const cases: [unknown, string, string][] = [
      [{ adapter: 'cohere', call: { name: 'a' } }, 'unsupported adapter: cohere', 'input_tool_call'],
      [{ call: { args: {} } }, 'tool call name is required', 'input_tool_call'],
      [{ adapter: 'openai', call: { function: { name: 'a', arguments: '[1]' } } }, '', 'input_tool_call'],
      [{ call: { name: 'a', context: { context_envelope_path: 'e.json' } } }, 'call.context.context_envelope_path is not supported; use --context-envelope at the boundary', 'input_tool_call'],
      [{ call: { name: 'a', context: { auth_mode: 'kerberos' } } }, 'context.auth_mode must be one of off|none|token|oauth|oauth_dcr', 'input_tool_call'],
      [{ intent: { tool_name: 'a' } }, '', 'input_intent'],
    ];
    for (const [body, message, reason] of cases) {
      const r = await refusal(plain, post('/v1/evaluate', body));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body['error_reason'], reason, JSON.stringify(r.body));
      if (message !== '') assert.equal(r.body['error'], message);
      assert.equal(r.body['exit_code'], 6);
    }
  });

  it('trace_path is honoured with --allow-client-artifact-paths, but never a `..` path', async () => {
    const open = fixture({ allowClientArtifactPaths: true });
    const ok = await jsonOf(await open.service.fetch(post('/v1/evaluate', { call: { name: 'tool.search' }, trace_path: 'mine/t.json' })));
    assert.equal(ok['trace_path'], 'mine/t.json');
    assert.equal(verifyTrace(JSON.parse(readFileSync(join(open.cwd, 'mine/t.json'), 'utf8')), SERVE_VERIFY_KEY).ok, true);
    const up = await refusal(open, post('/v1/evaluate', { call: { name: 'tool.search' }, trace_path: '../t.json' }));
    assert.equal(up.status, 400);
    assert.equal(up.body['error'], 'relative trace path must not traverse parent directories');
    const runpack = await jsonOf(await open.service.fetch(post('/v1/evaluate', { call: { name: 'tool.search' }, runpack_out: 'r.zip' })));
    assert.equal(runpack['runpack_path'], 'r.zip', 'runpack_out is honoured too (serve-artifacts.test.ts)');
  });
});

describe('refusals: 401 bearer auth', () => {
  const authed = fixture({ authToken: 's3cret' });
  it('missing → 401 `missing bearer authorization`; wrong → 401 `invalid bearer authorization`; right → 200', async () => {
    const missing = await refusal(authed, post('/v1/evaluate', callBody('tool.search')));
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { ok: false, error: 'missing bearer authorization', error_code: 'unauthorized' });
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
    for (const header of ['Basic czNjcmV0', 'bearer s3cret', 'Bearers3cret', 'Bearer ']) {
      assert.equal((await refusal(authed, post('/v1/evaluate', callBody('tool.search'), { authorization: header }))).body['error'], 'missing bearer authorization', header);
    }
    for (const header of ['Bearer wrong', 'Bearer s3cret2', 'Bearer s3cre', 'Bearer  x']) {
      const wrong = await refusal(authed, post('/v1/evaluate', callBody('tool.search'), { authorization: header }));
      assert.equal(wrong.status, 401, header);
      assert.equal(wrong.body['error'], 'invalid bearer authorization', header);
    }
    const ok = await authed.service.fetch(post('/v1/evaluate/stream', callBody('tool.search'), { authorization: 'Bearer  s3cret ' }));
    assert.equal(ok.status, 200);
  });
});

describe('refusals: 403 Host and Origin (DNS rebinding, browser pages)', () => {
  it('a Host that is not loopback → 403, before auth and method checks', async () => {
    const authed = fixture({ authToken: 's3cret' });
    for (const url of ['http://evil.example:8787/v1/evaluate', 'http://192.168.1.5:8787/healthz', 'http://localhost.evil.example/healthz']) {
      const r = await refusal(authed, new Request(url, { method: 'POST', body: '{}' }));
      assert.equal(r.status, 403, url);
      assert.equal(r.body['error_code'], 'forbidden');
      assert.match(String(r.body['error']), /^host not allowed: /);
    }
    for (const url of ['http://localhost:8787/healthz', 'http://127.0.0.1/healthz', 'http://[::1]:9/healthz', 'http://127.1.2.3/healthz']) {
      assert.equal((await authed.service.fetch(new Request(url))).status, 200, url);
    }
  });

  it('an Origin header (a browser page) → 403 unless allowed', async () => {
    const r = await refusal(plain, post('/v1/evaluate', callBody('tool.search'), { origin: 'http://localhost:3000' }));
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { ok: false, error: 'origin not allowed: http://localhost:3000', error_code: 'forbidden' });
    assert.equal((await refusal(plain, post('/v1/evaluate', callBody('tool.search'), { origin: 'null' }))).status, 403);
    const allowing = fixture({ allowedOrigins: ['http://localhost:3000/'] });
    assert.equal((await allowing.service.fetch(post('/v1/evaluate', callBody('tool.search'), { origin: 'http://LOCALHOST:3000' }))).status, 200);
  });

  it('configured hosts are accepted; `*` accepts any', async () => {
    const named = fixture({ allowedHosts: ['gait.internal'] });
    assert.equal((await named.service.fetch(new Request('http://gait.internal:8787/healthz'))).status, 200);
    assert.equal((await named.service.fetch(new Request('http://other.internal:8787/healthz'))).status, 403);
    const any = fixture({ allowedHosts: ['*'] });
    assert.equal((await any.service.fetch(new Request('http://10.0.0.7:8787/healthz'))).status, 200);
  });
});

describe('refusals: 503 saturation', () => {
  it('more than --max-concurrent requests in flight → 503 `server busy` with retry-after: 1', async () => {
    const one = fixture({ maxConcurrent: 1 });
    let release: (() => void) | undefined;
    const held = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"call":{"name":"tool.search"'));
        release = () => {
          controller.enqueue(new TextEncoder().encode('}}'));
          controller.close();
        };
      },
    });
    const first = one.service.fetch(new Request('http://127.0.0.1/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: held, duplex: 'half' } as RequestInit));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(one.service.inFlight(), 1);
    const busy = await refusal(one, post('/v1/evaluate', callBody('tool.search')));
    assert.equal(busy.status, 503);
    assert.deepEqual(busy.body, { ok: false, error: 'server busy', error_code: 'server_busy' });
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal((await one.service.fetch(new Request('http://127.0.0.1/healthz'))).status, 200, 'healthz is not capped');
    release?.();
    assert.equal((await first).status, 200);
    assert.equal(one.service.inFlight(), 0);
    assert.equal((await one.service.fetch(post('/v1/evaluate', callBody('tool.search')))).status, 200);
  });

  it('while draining, new evaluate requests → 503 `server shutting down`', async () => {
    const f = fixture();
    assert.equal(await f.service.drain(100), true);
    const r = await refusal(f, post('/v1/evaluate', callBody('tool.search')));
    assert.equal(r.status, 503);
    assert.equal(r.body['error'], 'server shutting down');
    assert.equal(r.headers.get('connection'), 'close');
  });
});

function failingExporter(name: string, mode: 'fail' | 'throw'): DecisionExporter & { count: number } {
  const stats: { -readonly [K in keyof ExportStats]: ExportStats[K] } = { exported: 0, failed: 0, dropped: 0, queued: 0, retries: 0, lastError: '' };
  const e = {
    name,
    count: 0,
    export() {
      e.count += 1;
      if (mode === 'throw') throw new Error('exporter bug');
      stats.failed += 1;
      return { status: 'failed' as const, error: 'disk full', warnings: [] };
    },
    flush: async () => undefined,
    close: async () => undefined,
    stats: () => ({ ...stats }),
  };
  return e;
}

describe('internal failures are 500, never 400', () => {
  it('a trace that cannot be written → 500 with the storage error (exit_code 1)', async () => {
    const broken = fixture({ traceDir: 'blocker-dir' });
    rmSync(join(broken.cwd, 'blocker-dir'), { recursive: true });
    writeFileSync(join(broken.cwd, 'blocker-dir'), 'a file where the directory was');
    const r = await refusal(broken, post('/v1/evaluate', callBody('tool.search')));
    assert.equal(r.status, 500);
    assert.equal(r.body['error_code'], 'internal_failure');
    assert.equal(r.body['error_category'], 'io_failure');
    assert.equal(r.body['error_reason'], 'storage_io');
    assert.equal(r.body['exit_code'], 1);
    assert.match(String(r.body['error']), /^cannot write `.*blocker-dir\/trace_run_mcp_.*`: a parent path component is not a directory$/);
  });

  it('an unclassified exception → 500 internal_failure', async () => {
    const f = fixture({ exporters: [failingExporter('boom', 'throw')] });
    const r = await refusal(f, post('/v1/evaluate', callBody('tool.search')));
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { ok: false, error: 'exporter bug', error_code: 'internal_failure', error_category: 'internal_failure', retryable: false, exit_code: 1 });
  });

  it('a failed export does not fail the request: warning export_failed=<name>: <reason>, counted on /healthz', async () => {
    const exporter = failingExporter('log', 'fail');
    const f = fixture({ exporters: [exporter] });
    const body = await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search'))));
    assert.equal(body['verdict'], 'allow');
    assert.ok((body['warnings'] as string[]).includes('export_failed=log: disk full'));
    assert.equal(exporter.count, 1);
    assert.equal((await jsonOf(await f.service.fetch(new Request('http://127.0.0.1/healthz'))))['export_failures'], 1);
  });
});

describe('emergency stop (§4 step 7) without a job runtime', () => {
  it('a call with context.job_id blocks: emergency_stop_state_unavailable, violation emergency_stop_active', async () => {
    const body = await jsonOf(await plain.service.fetch(post('/v1/evaluate', callBody('tool.search', { context: { job_id: 'job-1' } }))));
    assert.equal(body['verdict'], 'block');
    assert.equal(body['exit_code'], 3);
    assert.deepEqual(body['reason_codes'], ['emergency_stop_state_unavailable', 'search_allowed']);
    assert.deepEqual(body['violations'], ['emergency_stop_active']);
    assert.equal(body['job_id'], 'job-1');
    assert.ok((body['warnings'] as string[]).some((w) => w.startsWith('job_status_unavailable=')));
    const trace = JSON.parse(readFileSync(join(plain.cwd, String(body['trace_path'])), 'utf8')) as Record<string, unknown>;
    assert.equal(trace['verdict'], 'block');
    assert.equal(verifyTrace(trace, SERVE_VERIFY_KEY).ok, true);
  });
});

describe('emergency stop with a job state, and --intents-out', () => {
  it('an emergency-stopped job blocks with emergency_stop_preempted and records the blocked dispatch', async () => {
    const f = fixture({ jobRoot: 'jobs' });
    mkdirSync(join(f.cwd, 'jobs', 'job-9'), { recursive: true });
    writeFileSync(join(f.cwd, 'jobs', 'job-9', 'state.json'), JSON.stringify({ status: 'emergency_stopped' }));
    const body = await jsonOf(await f.service.fetch(post('/v1/evaluate', callBody('tool.search', { context: { job_id: 'job-9' } }))));
    assert.equal(body['verdict'], 'block');
    assert.deepEqual(body['reason_codes'], ['emergency_stop_preempted', 'search_allowed']);
    const events = readFileSync(join(f.cwd, 'jobs', 'job-9', 'events.jsonl'), 'utf8').trim().split('\n');
    assert.equal(events.length, 1);
    const record = JSON.parse(events[0] ?? '{}') as Record<string, unknown>;
    assert.equal(record['type'], 'blocked_dispatch');
    assert.equal(record['trace_id'], body['trace_id']);
    const running = fixture({ jobRoot: 'jobs' });
    mkdirSync(join(running.cwd, 'jobs', 'job-1'), { recursive: true });
    writeFileSync(join(running.cwd, 'jobs', 'job-1', 'state.json'), JSON.stringify({ status: 'running' }));
    assert.equal((await jsonOf(await running.service.fetch(post('/v1/evaluate', callBody('tool.search', { context: { job_id: 'job-1' } })))))['verdict'], 'allow');
  });

  it('--intents-out appends one {intent_id, intent} line per decision', async () => {
    const f = fixture({ intentsOut: 'out/intents.jsonl' });
    await f.service.fetch(post('/v1/evaluate', callBody('tool.search')));
    await f.service.fetch(post('/v1/evaluate', callBody('tool.write')));
    const lines = readFileSync(join(f.cwd, 'out/intents.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l['intent_id'], (l['intent'] as Record<string, unknown>)['tool_name']]), [
      ['intent_1', 'tool.search'],
      ['intent_1', 'tool.write'],
    ]);
  });
});
