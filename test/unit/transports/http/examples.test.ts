/** Runs examples/decision-service.examples.ts so the documented usage stays true. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideOverHttpHandler, serveOnLoopback } from '../../../../examples/decision-service.examples.js';

const EXAMPLES = join(process.cwd(), 'examples');
const out = mkdtempSync(join(tmpdir(), 'gait-service-examples-'));
after(() => rmSync(out, { recursive: true, force: true }));

describe('decision service examples', () => {
  it('decideOverHttpHandler answers 200 with the verdict of the example policy', async () => {
    // The anthropic adapter sets no context: the fail-closed high-risk default blocks (mcp-and-export.md §2).
    assert.deepEqual(await decideOverHttpHandler(join(EXAMPLES, 'policy.yaml'), join(out, 'a')), { status: 200, verdict: 'block' });
  });

  it('serveOnLoopback serves /healthz', async () => {
    assert.equal(await serveOnLoopback(join(EXAMPLES, 'policy.yaml'), join(out, 'b')), 200);
  });
});
