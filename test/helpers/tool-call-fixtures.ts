/**
 * The adapter fixture corpus (test/fixtures/tool-calls/<adapter>/<name>.call.json with its
 * hand-written <name>.intent.json) and the policy every surface evaluates it under.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOOL_CALL_ROOT = join(process.cwd(), 'test/fixtures/tool-calls');

export const TOOL_CALL_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: require_approval
rules:
  - name: reads
    priority: 10
    effect: allow
    match:
      tool_names: [tool.read, tool.search, tool.list, tool.status]
    reason_codes: [read_ok]
  - name: writes
    priority: 20
    effect: block
    match:
      tool_names: [tool.write, tool.exec]
    reason_codes: [write_blocked]
`;

export interface ToolCallFixture {
  readonly adapter: string;
  readonly name: string;
  /** path of the `.call.json` file */
  readonly callPath: string;
  /** the expected IntentRequest, parsed */
  readonly intent: unknown;
}

/** Every fixture, sorted by adapter and name. */
export function toolCallFixtures(): ToolCallFixture[] {
  const out: ToolCallFixture[] = [];
  for (const adapter of readdirSync(TOOL_CALL_ROOT).filter((f) => !f.includes('.')).sort()) {
    for (const file of readdirSync(join(TOOL_CALL_ROOT, adapter)).filter((f) => f.endsWith('.call.json')).sort()) {
      const name = file.slice(0, -'.call.json'.length);
      const intent = JSON.parse(readFileSync(join(TOOL_CALL_ROOT, adapter, `${name}.intent.json`), 'utf8')) as unknown;
      out.push({ adapter, name, callPath: join(TOOL_CALL_ROOT, adapter, file), intent });
    }
  }
  return out;
}
