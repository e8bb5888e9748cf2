/** Runs examples/exporters.examples.ts so the documented tool-call and export examples stay true. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decideOpenAiCall, signAndExport } from '../../../examples/exporters.examples.js';

const POLICY = 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: block\nrules:\n  - name: reads\n    priority: 10\n    effect: allow\n    match:\n      tool_names: [tool.read, tool.search]\n    reason_codes: [read_ok]\n';

describe('tool-call and export examples', () => {
  it('decideOpenAiCall allows a search', () => {
    const d = decideOpenAiCall(POLICY, { type: 'function', function: { name: 'tool.search', arguments: '{"query":"gait"}' } });
    assert.deepEqual([d.verdict, d.reasonCodes], ['allow', ['read_ok']]);
  });

  it('signAndExport writes one event bound to the signed trace', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gait-ex-')), 'events.jsonl');
    const r = await signAndExport(POLICY, { tool_name: 'Bash', tool_input: { command: 'rm -rf /' } }, path);
    assert.equal(r.verdict, 'block');
    assert.deepEqual(r.warnings, []);
    const event = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.equal(event['tool_name'], 'tool.exec');
    assert.match(String(event['trace_digest']), /^[0-9a-f]{64}$/);
  });
});
