/** Edges of the MCP and HTTP surfaces that must end in "no": unknown job statuses and verdicts, unchecked intents. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJobStopState } from '../../../src/transports/mcp/job-status.js';
import { verdictStatus } from '../../../src/transports/http/output.js';
import { jsonOf, makeService, post } from '../../helpers/serve-fixture.js';

function jobWith(status: unknown): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gait-job-'));
  mkdirSync(join(cwd, 'jobs', 'job-1'), { recursive: true });
  writeFileSync(join(cwd, 'jobs', 'job-1', 'state.json'), JSON.stringify({ status }));
  return cwd;
}

describe('readJobStopState()', () => {
  it('a known status is running, an emergency stop is stopped', () => {
    assert.deepEqual(readJobStopState('job-1', 'jobs', jobWith('running')), { status: 'running' });
    assert.deepEqual(readJobStopState('job-1', 'jobs', jobWith('Emergency_Stopped')), { status: 'stopped' });
  });

  it('an unknown status is unavailable (blocks), never running', () => {
    const state = readJobStopState('job-1', 'jobs', jobWith('stopping'));
    assert.equal(state.status, 'unavailable');
  });
});

describe('verdictStatus()', () => {
  it('strict mode: allow 200, block 403, require_approval and dry_run 409, anything else 403', () => {
    assert.deepEqual(['allow', 'block', 'require_approval', 'dry_run', 'permit', ''].map((v) => verdictStatus('strict', v)), [200, 403, 409, 409, 403, 403]);
  });
});

describe('decision service under oss-prod', () => {
  it('refuses an intent request (its boundary checks are defined on tool calls) with 400', async () => {
    const fx = makeService({ profile: 'oss-prod' }, { 'policy.yaml': 'default_verdict: block\n' });
    try {
      const intent = { tool_name: 'tool.search', context: { identity: 'a', workspace: '/w', risk_class: 'low' } };
      const res = await fx.service.fetch(post('/v1/evaluate', { intent }));
      assert.equal(res.status, 400);
      assert.match(String((await jsonOf(res))['error']), /request\.intent is not accepted under the oss-prod profile/);
    } finally {
      await fx.cleanup();
    }
  });
});
