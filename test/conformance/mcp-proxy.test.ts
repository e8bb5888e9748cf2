/**
 * The conformance corpus through `gait mcp proxy` in-process (mcp-and-export.md §4), adapter `mcp`.
 *
 * Each scenario's IntentRequest is rewritten as the native MCP ToolCall of §1.1 that §2 turns back
 * into the same intent: `tool_name` → `name`, and `args`, `targets`, `arg_provenance`, `context`,
 * `delegation`, `created_at` as they are. A scenario whose intent uses a member the ToolCall cannot
 * carry (e.g. `context.agent_identity`, a target's `endpoint_class`) is skipped with that member named
 * as the reason; §2's context defaults (identity `mcp-proxy`, …) also make scenarios about a missing
 * required context field inexpressible. Then, in a fresh temp directory:
 *   gait mcp proxy --policy policy.yaml --call call.json --adapter mcp --json --trace-out trace.json
 *                  --key-mode prod --private-key keys/conformance_private.key
 * with the io clock at the scenario's evaluation time (the proxy evaluates "now"), and every trace is
 * checked with `gait trace verify`. The proxy runs the gate-eval pipeline (layer `gate_eval`) and
 * refuses an unnormalizable intent with exit 6 (like `gate eval`).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { encodePrivateKey, encodePublicKey, signingKeyFromSeed } from '../../src/crypto/keys.js';
import { fixedClock } from '../../src/runtime/clock.js';
import { parseTimestamp } from '../../src/runtime/timestamp.js';
import { runCli } from '../../src/transports/cli/main.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { Scenario, SurfaceResult, TraceObservation } from './run.js';
import { CORPUS_NOW, loadCorpus, runConformance } from './run.js';

const KEY = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait conformance mcp proxy key v1').digest()));
const root = mkdtempSync(join(tmpdir(), 'gait-conformance-mcp-'));
after(() => rmSync(root, { recursive: true, force: true }));

type Json = Record<string, unknown>;

const TOP = new Set(['schema_id', 'schema_version', 'producer_version', 'created_at', 'tool_name', 'args', 'targets', 'arg_provenance', 'context', 'delegation', 'script']);
const STEP = new Set(['tool_name', 'args', 'targets', 'arg_provenance']);
const TARGET = new Set(['kind', 'value', 'operation', 'sensitivity', 'discovery_method', 'read_only_hint', 'destructive_hint', 'idempotent_hint', 'open_world_hint']);
const PROVENANCE = new Set(['arg_path', 'source', 'source_ref', 'integrity_digest']);
const CONTEXT = new Set(['identity', 'workspace', 'risk_class', 'phase', 'job_id', 'session_id', 'request_id', 'auth_context', 'credential_scopes', 'environment_fingerprint']);
const DELEGATION = new Set(['requester_identity', 'scope_class', 'token_refs', 'chain']);
const LINK = new Set(['delegator_identity', 'delegate_identity', 'scope_class', 'token_ref']);

/** Members of `obj` outside `allowed`, as `<prefix><member>`. */
function extra(obj: unknown, allowed: ReadonlySet<string>, prefix: string): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [];
  return Object.keys(obj).filter((k) => !allowed.has(k)).map((k) => `${prefix}${k}`);
}

function each(list: unknown, allowed: ReadonlySet<string>, prefix: string): string[] {
  return Array.isArray(list) ? list.flatMap((item) => extra(item, allowed, `${prefix}[].`)) : [];
}

/** Why an intent cannot be written as a §1.1 ToolCall ('' when it can). */
export function inexpressible(intent: Json): string {
  const context = (intent['context'] ?? {}) as Json;
  const delegation = intent['delegation'] as Json | undefined;
  const members = [
    ...extra(intent, TOP, ''),
    ...each(intent['targets'], TARGET, 'targets'),
    ...each(intent['arg_provenance'], PROVENANCE, 'arg_provenance'),
    ...extra(context, CONTEXT, 'context.'),
    ...extra(delegation, DELEGATION, 'delegation.'),
    ...each(delegation?.['chain'], LINK, 'delegation.chain'),
    ...extra(intent['script'], new Set(['steps']), 'script.'),
    ...each((intent['script'] as Json | undefined)?.['steps'], STEP, 'script.steps'),
  ];
  if (members.length > 0) return `the intent uses ${[...new Set(members)].join(', ')}, which the mcp ToolCall (mcp-and-export.md §1.1) cannot carry`;
  for (const field of ['identity', 'workspace', 'risk_class']) {
    const value = context[field];
    if (typeof value !== 'string' || value.trim() === '') {
      return `the intent omits context.${field}; a ToolCall without it gets the §2 step 6 default, so the refusal cannot be expressed`;
    }
  }
  if (typeof intent['tool_name'] !== 'string' || intent['tool_name'].trim() === '') {
    return 'a blank tool name is refused by §2 step 1 at the adapter (`tool call name is required`, input_tool_call, exit 6) before the gate sees it: the exit code agrees, the registry code differs by design';
  }
  return '';
}

/** The §1.1 ToolCall of an intent; script steps as `{name, args, targets, arg_provenance}`. */
function toToolCall(intent: Json): Json {
  const { tool_name: name, schema_id: _s, schema_version: _v, producer_version: _p, script, ...rest } = intent;
  if (script === undefined) return { name, ...rest };
  const steps = ((script as Json)['steps'] as Json[] | undefined) ?? [];
  return { name, ...rest, script: { steps: steps.map(({ tool_name: stepName, ...step }) => ({ name: stepName, ...step })) } };
}

function trustedKeys(cwd: string): void {
  mkdirSync(join(cwd, 'keys'), { mode: 0o700 });
  writeFileSync(join(cwd, 'keys/conformance_private.key'), encodePrivateKey(KEY), { mode: 0o600 });
  writeFileSync(join(cwd, 'keys/conformance_public.key'), encodePublicKey(KEY));
}

async function gait(cwd: string, at: string, argv: string[]): Promise<{ code: number; out: string }> {
  const t = makeTestIo({ cwd, clock: fixedClock(parseTimestamp(at)) });
  const code = await runCli(argv, t.io);
  return { code, out: t.out() };
}

async function traceOf(cwd: string): Promise<TraceObservation | undefined> {
  if (!existsSync(join(cwd, 'trace.json'))) return undefined;
  const verify = await gait(cwd, CORPUS_NOW, ['trace', 'verify', 'trace.json', '--json', '--public-key', 'keys/conformance_public.key']);
  const report = JSON.parse(verify.out) as Json;
  const trace = JSON.parse(readFileSync(join(cwd, 'trace.json'), 'utf8')) as Json;
  return {
    verified: verify.code === 0 && report['signature_status'] === 'verified',
    detail: verify.code === 0 ? '' : String(report['error'] ?? verify.out),
    verdict: String(trace['verdict']),
    violations: (trace['violations'] as string[] | undefined) ?? [],
  };
}

async function adapter(scenario: Scenario): Promise<SurfaceResult> {
  const cwd = mkdtempSync(join(root, `${scenario.name}-`));
  copyFileSync(scenario.policyPath, join(cwd, 'policy.yaml'));
  writeFileSync(join(cwd, 'call.json'), JSON.stringify(toToolCall(JSON.parse(scenario.intentText) as Json)));
  trustedKeys(cwd);
  const run = await gait(cwd, scenario.evaluationTime ?? CORPUS_NOW, [
    'mcp', 'proxy', '--policy', 'policy.yaml', '--call', 'call.json', '--adapter', 'mcp', '--json', '--trace-out', 'trace.json',
    '--key-mode', 'prod', '--private-key', 'keys/conformance_private.key',
  ]);
  const out = JSON.parse(run.out) as Json;
  if (run.code === 6) return { exitCode: 6, errorCode: String(out['error_reason']), trace: await traceOf(cwd) };
  assert.equal(out['executed'], false, 'the proxy never executes');
  return {
    exitCode: run.code,
    verdict: out['verdict'] as string,
    reasonCodes: (out['reason_codes'] as string[] | undefined) ?? [],
    violations: (out['violations'] as string[] | undefined) ?? [],
    matchedRule: ((out['matched_rule_ids'] as string[] | undefined) ?? [])[0] ?? '',
    policyDigest: out['policy_digest'] as string,
    intentDigest: out['intent_digest'] as string,
    trace: await traceOf(cwd),
  };
}

const skip: Record<string, string> = {};
for (const scenario of loadCorpus()) {
  const reason = inexpressible(JSON.parse(scenario.intentText) as Json);
  if (reason !== '') skip[scenario.name] = reason;
}

runConformance('mcp proxy (in-process, adapter mcp)', adapter, {
  layer: 'gate_eval',
  failClosedInvalidIntent: 'refusal',
  traces: 'required',
  omits: { minApprovals: 'the §4 proxy output has no required_approvals member (the gate result keeps it internal)' },
  skip,
});
