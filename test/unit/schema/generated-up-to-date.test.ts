import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS } from '../../../src/schema/generated/schemas.js';

const root = process.cwd();

function schemaFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return schemaFiles(full);
      return name.endsWith('.schema.json') ? [full] : [];
    });
}

describe('src/schema/generated/schemas.ts', () => {
  it('embeds exactly the JSON schema files under schemas/v1', () => {
    const fromFiles = new Map<string, unknown>();
    for (const file of schemaFiles(join(root, 'schemas', 'v1'))) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string; properties?: { schema_id?: { const?: string } } };
      fromFiles.set(schema.properties?.schema_id?.const ?? schema.$id ?? file, schema);
    }
    const embedded = new Map<string, unknown>(Object.entries(SCHEMAS));
    assert.deepEqual([...embedded.keys()].sort(), [...fromFiles.keys()].sort());
    for (const [key, schema] of fromFiles) assert.deepEqual(embedded.get(key), schema, `schema ${key} is stale`);
  });

  it('is byte-identical to what scripts/gen-schemas.mjs renders', () => {
    const run = spawnSync(process.execPath, ['scripts/gen-schemas.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  it('holds the four gate schemas with the gait.dev $id pattern', () => {
    assert.equal(SCHEMAS['gait.gate.trace'].$id, 'https://gait.dev/schemas/v1/gate/trace_record.schema.json');
    assert.equal(SCHEMAS['gait.gate.result'].$id, 'https://gait.dev/schemas/v1/gate/gate_result.schema.json');
    assert.equal(SCHEMAS['gait.gate.policy'].$id, 'https://gait.dev/schemas/v1/gate/policy.schema.json');
    assert.equal(SCHEMAS['gait.gate.intent_request'].$id, 'https://gait.dev/schemas/v1/gate/intent_request.schema.json');
  });
});
