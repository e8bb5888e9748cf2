/**
 * Run ids of the decision service (mcp-and-export.md §4 step 10, §5.5): `run_id`, else the call's
 * (or intent's) `context.run_id`, else `run_mcp_<first 12 hex of intent_digest>`, normalized (trim;
 * characters outside `[A-Za-z0-9_-]` → `_`; trim `_`; `run_` added). A value that is given but
 * normalizes to nothing (`///`) is refused with a 400 before anything is evaluated or written; a
 * blank one means "not given".
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jsonOf, makeService, post } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixtures: ServeFixture[] = [];
after(async () => {
  for (const f of fixtures) await f.cleanup();
});
function fixture(): ServeFixture {
  const f = makeService({ runpackDir: 'runpacks', packDir: 'packs' });
  fixtures.push(f);
  return f;
}

async function evaluate(f: ServeFixture, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await f.service.fetch(post('/v1/evaluate', body));
  return { status: res.status, body: await jsonOf(res) };
}

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(relative(root, join(dir, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

const search = (context: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'tool.search', args: { q: 'x' }, context });
const intent = (context: Record<string, unknown> = {}): Record<string, unknown> => ({ tool_name: 'tool.search', args: { q: 'x' }, context: { identity: 'alice', workspace: '/w', risk_class: 'low', ...context } });

function refusal(error: string, reason: string): Record<string, unknown> {
  return { ok: false, error, error_code: 'invalid_input', error_category: 'invalid_input', error_reason: reason, retryable: false, exit_code: 6 };
}

describe('/v1/evaluate: run ids that normalize to nothing are refused (400, nothing written)', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['request.run_id `///`', { call: search(), run_id: '///', emit_runpack: true, emit_pack: true }, refusal('request.run_id `///` normalizes to an empty run id', 'input_usage')],
    ['request.run_id `_._` (intent request)', { intent: intent(), run_id: '_._' }, refusal('request.run_id `_._` normalizes to an empty run id', 'input_usage')],
    ['request.run_id with inner whitespace', { call: search(), run_id: ' / \t/ ' }, refusal('request.run_id `/ /` normalizes to an empty run id', 'input_usage')],
    ['call.context.run_id `///` (no request run_id)', { call: search({ run_id: '///' }), emit_pack: true }, refusal('call.context.run_id `///` normalizes to an empty run id', 'input_tool_call')],
    ['call.context.run_id `***` with a blank request run_id', { call: search({ run_id: '***' }), run_id: '  ' }, refusal('call.context.run_id `***` normalizes to an empty run id', 'input_tool_call')],
    ['intent.context.run_id `///`', { intent: intent({ run_id: '///' }) }, refusal('intent.context.run_id `///` normalizes to an empty run id', 'input_intent')],
  ];
  for (const [name, body, expected] of cases) {
    it(name, async () => {
      const f = fixture();
      const r = await evaluate(f, body);
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, expected);
      assert.deepEqual(files(f.cwd), ['policy.yaml'], 'no trace, runpack, pack or journal');
    });
  }
});

describe('/v1/evaluate: run ids the spec defines (§4 step 10) are unchanged', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['request run_id, normalized', { call: search({ run_id: 'ctx' }), run_id: ' job 7/a ' }, 'run_job_7_a'],
    ['request run_id already prefixed', { call: search(), run_id: 'run_x' }, 'run_x'],
    ['request run_id of one `-`', { call: search(), run_id: '-' }, 'run_-'],
    ['blank request run_id: the call context run id', { call: search({ run_id: 'ctx-run' }), run_id: '   ' }, 'run_ctx-run'],
    ['a usable request run_id wins over a context run id that normalizes to nothing', { call: search({ run_id: '///' }), run_id: 'job-7' }, 'run_job-7'],
    ['intent request: the intent context run id', { intent: intent({ run_id: 'it 1' }) }, 'run_it_1'],
  ];
  for (const [name, body, runId] of cases) {
    it(`${name}: ${runId}`, async () => {
      const f = fixture();
      const r = await evaluate(f, body);
      assert.equal(r.status, 200);
      assert.equal(r.body['run_id'], runId);
      assert.match(String(r.body['trace_path']), new RegExp(`^traces/trace_${runId}_\\d{8}T\\d{6}\\.\\d{9}\\.json$`));
    });
  }

  it('no run id anywhere: run_mcp_<first 12 hex of the intent digest>', async () => {
    const f = fixture();
    const r = await evaluate(f, { call: search() });
    assert.equal(r.status, 200);
    assert.equal(r.body['intent_digest'], '78f7f350a55b56ad9ab31905a15c2cd932be182a20a89a04c3d1e1c6f7528352');
    assert.equal(r.body['run_id'], 'run_mcp_78f7f350a55b');
  });
});
