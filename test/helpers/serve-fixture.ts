/**
 * Fixtures for the decision service tests: a temp working directory with a policy file, a
 * deterministic signing key, and request builders for `app.request()`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { signingKeyFromSeed, verifyKeyOf } from '../../src/crypto/keys.js';
import type { SigningKey, VerifyKey } from '../../src/crypto/keys.js';
import { fixedClock } from '../../src/runtime/clock.js';
import { createDecisionService } from '../../src/transports/http/app.js';
import type { DecisionService, DecisionServiceOptions, ServiceLogEvent } from '../../src/transports/http/app.js';
import { TEST_NOW } from './cli-io.js';

export const SERVE_KEY: SigningKey = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait serve test key v1').digest()));
export const SERVE_VERIFY_KEY: VerifyKey = verifyKeyOf(SERVE_KEY);

/** default block; tool.search allowed; tool.delete requires approval; tool.plan is dry_run. */
export const SERVE_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: block
rules:
  - name: allow-search
    priority: 10
    effect: allow
    match:
      tool_names: [tool.search]
    reason_codes: [search_allowed]
  - name: approve-delete
    priority: 20
    effect: require_approval
    match:
      tool_names: [tool.delete]
    reason_codes: [delete_needs_approval]
  - name: plan-dry-run
    priority: 30
    effect: dry_run
    match:
      tool_names: [tool.plan]
    reason_codes: [plan_dry_run]
`;

export interface ServeFixture {
  readonly cwd: string;
  readonly service: DecisionService;
  readonly logs: ServiceLogEvent[];
  readonly cleanup: () => Promise<void>;
}

/** A service over a fresh temp directory holding `policy.yaml` (and any extra files; `before` runs before the service starts). */
export function makeService(options: Partial<DecisionServiceOptions> = {}, files: Record<string, string> = {}, before?: (cwd: string) => void): ServeFixture {
  const cwd = mkdtempSync(join(tmpdir(), 'gait-serve-'));
  writeFileSync(join(cwd, 'policy.yaml'), SERVE_POLICY);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, name)), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
  before?.(cwd);
  const logs: ServiceLogEvent[] = [];
  const service = createDecisionService({
    policyPath: 'policy.yaml',
    cwd,
    signingKey: SERVE_KEY,
    clock: fixedClock(TEST_NOW),
    traceDir: 'traces',
    watchPolicy: false,
    log: (e) => logs.push(e),
    ...options,
  });
  return {
    cwd,
    service,
    logs,
    cleanup: async () => {
      await service.close();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** A JSON POST to `path` with `body` (an object is JSON-encoded). */
export function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://127.0.0.1:8787${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** `{call: {name, args}}` for the mcp adapter. */
export function callBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { call: { name, args: { q: 'x' }, ...extra } };
}

export async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

/** A `makeService` for one test file: every fixture it makes is cleaned up after the file's tests. */
export function serviceFixtures(): (...args: Parameters<typeof makeService>) => ServeFixture {
  const made: ServeFixture[] = [];
  after(async () => {
    for (const f of made) await f.cleanup();
  });
  return (...args) => {
    const f = makeService(...args);
    made.push(f);
    return f;
  };
}
