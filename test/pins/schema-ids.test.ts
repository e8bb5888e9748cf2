/**
 * Pin: the JSON Schemas we ship under schemas/v1/ and their identifiers (vectors SCHEMA_IDS.md). A red
 * pin means "change deliberately": update this table, the changelog and docs/contracts together.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMAS = join(process.cwd(), 'schemas/v1');
const SCHEMA_IDS_MD = join(process.cwd(), 'test/fixtures/vectors/gait-v1/SCHEMA_IDS.md');

/** file under schemas/v1 → [$id, schema_id const, schema_version pattern] */
const PINNED: Readonly<Record<string, readonly [string, string, string]>> = {
  'context/envelope.schema.json': ['https://gait.dev/schemas/v1/context/envelope.schema.json', 'gait.context.envelope', '^1\\.0\\.0$'],
  'gate/approval_audit_record.schema.json': [
    'https://gait.dev/schemas/v1/gate/approval_audit_record.schema.json',
    'gait.gate.approval_audit_record',
    '^1\\.0\\.0$',
  ],
  'gate/approval_token.schema.json': ['https://gait.dev/schemas/v1/gate/approval_token.schema.json', 'gait.gate.approval_token', '^1\\.0\\.0$'],
  'gate/gate_result.schema.json': ['https://gait.dev/schemas/v1/gate/gate_result.schema.json', 'gait.gate.result', '^1\\.0\\.0$'],
  'gate/intent_request.schema.json': ['https://gait.dev/schemas/v1/gate/intent_request.schema.json', 'gait.gate.intent_request', '^1\\.0\\.0$'],
  'gate/policy.schema.json': ['https://gait.dev/schemas/v1/gate/policy.schema.json', 'gait.gate.policy', '^1\\.0\\.0$'],
  'gate/trace_record.schema.json': ['https://gait.dev/schemas/v1/gate/trace_record.schema.json', 'gait.gate.trace', '^1\\.0\\.0$'],
  'pack/call.schema.json': ['https://gait.dev/schemas/v1/pack/call.schema.json', 'gait.pack.call', '^1\\.0\\.0$'],
  'pack/diff.schema.json': ['https://gait.dev/schemas/v1/pack/diff.schema.json', 'gait.pack.diff', '^1\\.0\\.0$'],
  'pack/job.schema.json': ['https://gait.dev/schemas/v1/pack/job.schema.json', 'gait.pack.job', '^1\\.0\\.0$'],
  'pack/manifest.schema.json': ['https://gait.dev/schemas/v1/pack/manifest.schema.json', 'gait.pack.manifest', '^1\\.0\\.0$'],
  'pack/run.schema.json': ['https://gait.dev/schemas/v1/pack/run.schema.json', 'gait.pack.run', '^1\\.0\\.0$'],
  'regress/regress_result.schema.json': ['https://gait.dev/schemas/v1/regress/regress_result.schema.json', 'gait.regress.result', '^1\\.0\\.0$'],
  'runpack/intent.schema.json': ['https://gait.dev/schemas/v1/runpack/intent.schema.json', 'gait.runpack.intent', '^1\\.0\\.0$'],
  'runpack/manifest.schema.json': ['https://gait.dev/schemas/v1/runpack/manifest.schema.json', 'gait.runpack.manifest', '^1\\.0\\.0$'],
  'runpack/refs.schema.json': ['https://gait.dev/schemas/v1/runpack/refs.schema.json', 'gait.runpack.refs', '^1\\.0\\.0$'],
  'runpack/result.schema.json': ['https://gait.dev/schemas/v1/runpack/result.schema.json', 'gait.runpack.result', '^1\\.0\\.0$'],
  'runpack/run.schema.json': ['https://gait.dev/schemas/v1/runpack/run.schema.json', 'gait.runpack.run', '^1\\.0\\.0$'],
};

interface SchemaDoc {
  readonly $schema?: unknown;
  readonly $id?: unknown;
  readonly type?: unknown;
  readonly additionalProperties?: unknown;
  readonly properties?: Record<string, { const?: unknown; pattern?: unknown; type?: unknown }>;
}

function load(file: string): SchemaDoc {
  return JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as SchemaDoc;
}

/** Rows of the SCHEMA_IDS.md table: file → [schema_id, schema_version, $id] ('—' kept as is). */
function schemaIdsTable(): Map<string, readonly [string, string, string]> {
  const rows = new Map<string, readonly [string, string, string]>();
  for (const line of readFileSync(SCHEMA_IDS_MD, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim().replace(/^`|`$/g, ''));
    if (cells.length < 6 || !(cells[1] ?? '').endsWith('.schema.json')) continue;
    rows.set(cells[1] as string, [cells[2] as string, cells[3] as string, cells[4] as string]);
  }
  return rows;
}

describe('pin: schemas/v1 identifiers', () => {
  it('ships exactly the pinned schema files', () => {
    const files = (readdirSync(SCHEMAS, { recursive: true }) as string[])
      .map((p) => p.split('\\').join('/'))
      .filter((p) => p.endsWith('.json'))
      .sort();
    assert.deepEqual(files, Object.keys(PINNED));
  });

  for (const [file, [id, schemaId, versionPattern]] of Object.entries(PINNED)) {
    it(`${file}: $id, draft 2020-12, closed object, schema_id const and version`, () => {
      const doc = load(file);
      assert.equal(doc.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.equal(doc.$id, id);
      assert.equal(doc.type, 'object');
      assert.equal(doc.additionalProperties, false);
      assert.deepEqual(doc.properties?.['schema_id'], { type: 'string', const: schemaId });
      assert.deepEqual(doc.properties?.['schema_version'], { type: 'string', pattern: versionPattern });
      assert.equal(new RegExp(versionPattern).test('1.0.0'), true);
      assert.equal(new RegExp(versionPattern).test('1.0.1'), false);
    });
  }

  it('agrees with the Gait v1 SCHEMA_IDS.md table (ids, versions; added $ids follow its URI pattern)', () => {
    const table = schemaIdsTable();
    assert.equal(table.size, 52, 'SCHEMA_IDS.md lists the 52 Gait v1 schema files');
    for (const [file, [id, schemaId]] of Object.entries(PINNED)) {
      const row = table.get(file);
      assert.notEqual(row, undefined, `${file} is a Gait v1 schema file`);
      const [goSchemaId, goVersion, goId] = row as readonly [string, string, string];
      assert.equal(goSchemaId, schemaId, `${file} schema_id`);
      assert.equal(goVersion, '1.0.0', `${file} schema_version`);
      assert.equal(id, goId === '—' ? `https://gait.dev/schemas/v1/${file}` : goId, `${file} $id`);
    }
  });
});
