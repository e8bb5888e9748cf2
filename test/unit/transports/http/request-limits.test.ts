/**
 * Request fields of the decision service that used to fail late (500 after the trace) or be
 * ignored in silence: ids that cannot name files, negative checkpoint intervals, session fields
 * without a session, two artifacts at one client path,
 * the request `session_id` in intent mode; and lock timeouts answered 500 (mcp-and-export.md §5.7).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GaitError } from '../../../../src/errors/index.js';
import { errorResponse } from '../../../../src/transports/http/http-errors.js';
import { callBody, jsonOf, post, serviceFixtures } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixture = serviceFixtures();

async function evaluate(f: ServeFixture, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await f.service.fetch(post('/v1/evaluate', body));
  return { status: res.status, body: await jsonOf(res) };
}

function traceCount(f: ServeFixture): number {
  const dir = join(f.cwd, 'traces');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

describe('refused before anything is written (400)', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a run id with a control character', { run_id: 'a\u0000b' }, 'request.run_id must not contain control characters'],
    ['a session id with a newline', { session_id: 's\n1' }, 'request.session_id must not contain control characters'],
    ['a 129-byte session id', { session_id: 's'.repeat(129) }, 'request.session_id is longer than 128 bytes'],
    ['a 129-byte run id', { run_id: 'r'.repeat(129) }, 'request.run_id is longer than 128 bytes'],
    ['a negative checkpoint interval', { session_id: 's1', checkpoint_interval: -1 }, 'request.checkpoint_interval must be >= 0'],
  ];
  for (const [name, extra, message] of cases) {
    it(name, async () => {
      const f = fixture();
      const out = await evaluate(f, { ...callBody('tool.search'), ...extra });
      assert.equal(out.status, 400);
      assert.equal(out.body['error'], message);
      assert.equal(out.body['error_code'], 'invalid_input');
      assert.equal(out.body['exit_code'], 6);
      assert.equal(traceCount(f), 0);
    });
  }

  it('a 128-byte session id is accepted', async () => {
    const out = await evaluate(fixture(), { ...callBody('tool.search'), session_id: 's'.repeat(128) });
    assert.equal(out.status, 200);
  });

  it('two client artifacts at one path', async () => {
    const f = fixture({ allowClientArtifactPaths: true });
    const out = await evaluate(f, { ...callBody('tool.search'), trace_path: 'out/same.bin', runpack_out: 'out/same.bin' });
    assert.equal(out.status, 400);
    assert.equal(out.body['error'], 'request.trace_path and request.runpack_out name the same file');
    assert.equal(existsSync(join(f.cwd, 'out/same.bin')), false);
  });
});

describe('session fields without a session', () => {
  it('are answered with a warning, not ignored in silence', async () => {
    const f = fixture({ allowClientArtifactPaths: true });
    const out = await evaluate(f, { ...callBody('tool.search'), session_journal: 'j/x.journal.jsonl', checkpoint_interval: 2 });
    assert.equal(out.status, 200);
    assert.ok((out.body['warnings'] as string[]).includes('session_ignored=session_journal,checkpoint_interval: the decision has no session id'), JSON.stringify(out.body['warnings']));
    assert.equal(existsSync(join(f.cwd, 'j/x.journal.jsonl')), false);
  });
});

describe('intent requests', () => {
  const intent = (sessionId: string): Record<string, unknown> => ({
    tool_name: 'tool.search',
    args: { q: 'x' },
    context: { identity: 'alice', workspace: '/w', risk_class: 'low', session_id: sessionId },
  });

  it('the request session_id is the one the intent is evaluated with (as for calls)', async () => {
    const f = fixture();
    const direct = await evaluate(f, { intent: intent('S-req') });
    const overridden = await evaluate(f, { intent: intent('S-intent'), session_id: 'S-req' });
    assert.equal(direct.status, 200);
    assert.equal(overridden.status, 200);
    assert.equal(overridden.body['intent_digest'], direct.body['intent_digest']);
    assert.equal(overridden.body['session_id'], 'S-req');
  });
});

describe('lock timeouts', () => {
  it('are 500 internal failures, never the 409 of a strict-mode verdict', () => {
    const r = errorResponse(new GaitError('storage_contention', 'session journal lock busy for 30s'));
    assert.equal(r.status, 500);
    assert.equal(r.body['error_code'], 'internal_failure');
    assert.equal(r.body['exit_code'], 1);
  });
});
