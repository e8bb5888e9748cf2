/**
 * Figure 6: the MCP decode + evaluate workloads of mcp-and-export.md §11, in the same rounds:
 *   (a) ours: "evaluate tool call" — a parsed native ToolCall → raw IntentRequest (§2) →
 *       `normalizeIntent` (normalization, digests) → `evaluate` → trust application (the policy has
 *       no `mcp_trust`, so none applies); no trace, no I/O;
 *   (b) variant: "decode tool call, openai" — the §11 openai payload from its pretty-printed text;
 *   (c) baseline: plain `evaluate` of the same intent pre-normalized, same policy (gate only).
 * Reported: (a) / (c) as a ratio (the cost the adapter layer adds around the gate), and the absolute
 * p50s beside Gait v1's published budgets (decode ≤ 4 µs, decode + evaluate ≤ 36 µs; informational).
 */
import { compilePolicy } from '../src/policy/compile.js';
import { evaluate } from '../src/policy/evaluate.js';
import { parsePolicyYaml } from '../src/policy/parse.js';
import { normalizeIntent } from '../src/schema/v1/intent.js';
import { decodeToolCall } from '../src/schema/v1/tool-call/index.js';
import { parseTimestamp } from '../src/runtime/timestamp.js';
import { measure } from './measure.js';
import type { MeasureOptions, OpStats } from './measure.js';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { grouped, sig } from './stats.js';

/** §11 "evaluate tool call" policy. */
export const MCP_POLICY_YAML = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
rules:
  - name: block-external-host
    priority: 10
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host]
    reason_codes: [blocked_external_host]
`;

/** §11 "evaluate tool call" ToolCall (native mcp adapter, parsed). */
export const MCP_CALL = {
  name: 'tool.write',
  args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'bench-user', workspace: '/tmp/workspace', risk_class: 'high' },
};

/** §11 "decode tool call, openai" payload, pretty-printed with 2 spaces. */
export const OPENAI_PAYLOAD_TEXT = JSON.stringify(
  { type: 'function', function: { name: 'tool.write', arguments: '{"path":"/tmp/out.txt"}' } },
  null,
  2,
);

const OPTIONS = { producerVersion: '0.0.0-bench' } as const;

function row(role: Row['role'], s: OpStats): Row {
  return { figure: '6', operation: s.name, role, p50: s.p50Us, mean: s.meanUs, unit: 'µs', opsPerSec: s.opsPerSec, samples: s.samples };
}

/** Figure 6: decode + evaluate vs plain evaluate. */
export function mcpFigure(options: MeasureOptions): FigureResult {
  const compiled = compilePolicy(parsePolicyYaml(MCP_POLICY_YAML));
  const evaluationTime = parseTimestamp('2026-02-05T00:00:00Z');
  const evalOptions = { evaluationTime };
  const normalized = normalizeIntent(decodeToolCall('mcp', MCP_CALL, OPTIONS));
  if (compiled.policy.mcpTrust !== undefined) throw new Error('bench mcp: the §11 policy has no mcp_trust');
  // §11 counts trust application; without `mcp_trust` it is skipped, as `runMcpEval` does.
  const decodeAndEvaluate = () => evaluate(compiled, normalizeIntent(decodeToolCall('mcp', MCP_CALL, OPTIONS)), evalOptions);
  const first = evaluate(compiled, normalized, evalOptions);
  if (first.verdict !== 'allow' || first.reasonCodes.join(',') !== 'default_allow') throw new Error(`bench mcp: unexpected verdict ${first.verdict}`);
  if (decodeToolCall('openai', OPENAI_PAYLOAD_TEXT)['tool_name'] !== 'tool.write') throw new Error('bench mcp: openai decode');
  const ours = 'gait decode mcp ToolCall + normalize + evaluate';
  const variant = 'gait decodeToolCall openai (pretty JSON text)';
  const baseline = 'gait evaluate (normalized intent, same policy)';
  const stats = measure(
    'figure 6 mcp decode + evaluate',
    [
      [ours, decodeAndEvaluate],
      [variant, () => decodeToolCall('openai', OPENAI_PAYLOAD_TEXT)],
      [baseline, () => evaluate(compiled, normalized, evalOptions)],
    ],
    options,
  );
  const get = (name: string): OpStats => {
    const s = stats.get(name);
    if (s === undefined) throw new Error(`no figures for \`${name}\``);
    return s;
  };
  const o = get(ours);
  const v = get(variant);
  const b = get(baseline);
  const ratio = check('(decode + evaluate) p50 / evaluate p50', o.p50Us / b.p50Us, '×');
  const budget = check('decode + evaluate p50 (Gait v1 budget 36 µs)', o.p50Us, 'µs', { max: 36 });
  const decodeBudget = check('openai decode p50 (Gait v1 budget 4 µs)', v.p50Us, 'µs', { max: 4 });
  return {
    id: 'mcp_decode_evaluate',
    title: 'MCP decode + evaluate vs plain evaluate',
    summary:
      `decode+evaluate p50=${sig(o.p50Us)}µs ops/s=${grouped(o.opsPerSec)} | openai decode p50=${sig(v.p50Us)}µs | ` +
      `evaluate p50=${sig(b.p50Us)}µs | ratio ${sig(ratio.value)}× of plain evaluate; ` +
      `Gait v1 reference 11.1µs (budget 36µs) ${budget.verdict}, decode 1.25µs (budget 4µs) ${decodeBudget.verdict}`,
    checks: [ratio, budget, decodeBudget],
    rows: [row('ours', o), row('variant', v), row('baseline', b)],
    details: { ours: o, variant: v, baseline: b, goReferenceNs: { decodeOpenai: 1248, evaluateToolCall: 11096, evaluatePolicy: 7054 } },
  };
}
