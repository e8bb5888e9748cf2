/**
 * `gait verify session-chain` (artifacts.md §2.12) in-process: the flag form and text output, an
 * unsigned chain under --require-signature, and files that are not session chains (exit 6).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEventInput } from '../../../../src/artifacts/session/types.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { appendSessionEvent } from '../../../../src/storage/session-journal.js';
import { runCli } from '../../../../src/transports/cli/main.js';
import { makeTestIo, TEST_NOW } from '../../../helpers/cli-io.js';

const root = mkdtempSync(join(tmpdir(), 'gait-chain-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

const EVENT: SessionEventInput = {
  intentId: '',
  toolName: 'tool.search',
  intentDigest: 'a'.repeat(64),
  policyDigest: 'b'.repeat(64),
  policyId: '',
  policyVersion: '',
  matchedRuleIds: [],
  traceId: 't',
  tracePath: '',
  verdict: 'allow',
  reasonCodes: [],
  violations: [],
  safetyInvariantVersion: '',
  safetyInvariantHash: '',
};

/** An unsigned chain of one checkpoint over two events, in a fresh directory. */
function unsignedChain(): string {
  const cwd = mkdtempSync(join(root, 'case-'));
  mkdirSync(join(cwd, 'rp'));
  for (let i = 0; i < 2; i++) {
    appendSessionEvent({
      cwd,
      sessionId: 's',
      runId: 'run_x',
      journals: [{ path: 's.journal.jsonl', checkpointBase: 's' }],
      event: EVENT,
      clock: fixedClock(TEST_NOW),
      producerVersion: '0.0.0-test',
      checkpoint: { interval: 2, runpackDir: 'rp', signingKey: undefined },
    });
  }
  return cwd;
}

async function gait(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const t = makeTestIo({ cwd });
  const code = await runCli(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

describe('gait verify session-chain', () => {
  it('takes the chain as --chain and prints the text report', async () => {
    const cwd = unsignedChain();
    const r = await gait(cwd, 'verify', 'session-chain', '--chain', 's.journal_chain.json');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'session chain ok: s.journal_chain.json session=s run=run_x checkpoints=1\nsignature status: missing\n');
  });

  it('fails an unsigned chain under --require-signature (exit 2)', async () => {
    const cwd = unsignedChain();
    const r = await gait(cwd, 'verify', 'session-chain', 's.journal_chain.json', '--require-signature', '--json');
    assert.equal(r.code, 2);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    assert.deepEqual(out['linkage_errors'], ['chain signature missing']);
    assert.deepEqual(out['checkpoint_errors'], [
      'checkpoint 1: runpack `rp/s_cp_000002.zip` failed verification (signature: manifest has no signatures)',
    ]);
  });

  it('refuses a file that is not a session chain (exit 6)', async () => {
    const cwd = mkdtempSync(join(root, 'case-'));
    writeFileSync(join(cwd, 'other.json'), '{"schema_id":"gait.runpack.manifest"}');
    writeFileSync(join(cwd, 'broken.json'), '{"schema_id":');
    const other = await gait(cwd, 'verify', 'session-chain', 'other.json');
    assert.deepEqual([other.code, other.err.split('\n')[0]], [6, 'verify session-chain error: not a session chain: schema `gait.runpack.manifest` version `1.0.0` (expected gait.runpack.session_chain 1.0.0)']);
    const broken = await gait(cwd, 'verify', 'session-chain', 'broken.json');
    assert.equal(broken.code, 6);
    assert.equal(broken.err.split('\n')[0], 'verify session-chain error: broken.json:1:14: cannot parse session chain `broken.json`: line 1, column 14: unexpected end of JSON input');
  });
});
