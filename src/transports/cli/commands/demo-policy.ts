/**
 * `gait demo --policy` (artifacts.md §5): write a high-risk policy and a destructive intent under
 * `./gait-out`, evaluate, and require `block` (else exit 2). No trace.
 */
import { join } from 'node:path';
import { compilePolicy } from '../../../policy/compile.js';
import { evaluate } from '../../../policy/evaluate.js';
import { parsePolicyYaml } from '../../../policy/parse.js';
import { normalizeIntent } from '../../../schema/v1/intent.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import type { CommandContext, CommandOutcome } from '../command.js';
import { EXIT } from '../exit.js';
import { METRICS_OPT_IN } from './demo-runpack.js';

const POLICY_PATH = './gait-out/policy_demo_high_risk.yaml';
const INTENT_PATH = './gait-out/intent_demo_delete.json';

export const DEMO_HIGH_RISK_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
rules:
  - name: block-destructive-tool-delete
    priority: 10
    effect: block
    match:
      tool_names: [tool.delete]
      risk_classes: [high]
    reason_codes: [destructive_tool_blocked]
`;

export const DEMO_DELETE_INTENT = {
  schema_id: 'gait.gate.intent_request',
  schema_version: '1.0.0',
  created_at: '2026-02-05T00:00:00Z',
  producer_version: '0.0.0-dev',
  tool_name: 'tool.delete',
  args: { path: '/tmp/demo/delete-me.txt' },
  targets: [{ kind: 'path', value: '/tmp/demo/delete-me.txt', operation: 'delete' }],
  context: { identity: 'demo.user', workspace: '/tmp/demo', risk_class: 'high' },
} as const;

/** Runs the policy demo. */
export function runPolicyDemo(ctx: CommandContext): CommandOutcome {
  writeFileAtomic(join(ctx.io.cwd, POLICY_PATH), DEMO_HIGH_RISK_POLICY, { mode: 0o644 });
  writeFileAtomic(join(ctx.io.cwd, INTENT_PATH), `${JSON.stringify(DEMO_DELETE_INTENT, null, 2)}\n`, { mode: 0o600 });
  const compiled = compilePolicy(parsePolicyYaml(DEMO_HIGH_RISK_POLICY, { file: POLICY_PATH }));
  const intent = normalizeIntent(JSON.parse(JSON.stringify(DEMO_DELETE_INTENT)) as unknown);
  const decision = evaluate(compiled, intent, { evaluationTime: intent.createdAt });
  const ok = decision.verdict === 'block';
  const next = [`gait policy test ${POLICY_PATH} ${INTENT_PATH} --json`, 'gait demo'];
  const json = {
    ok,
    mode: 'policy',
    policy_verdict: decision.verdict,
    matched_rule: decision.matchedRule,
    reason_codes: [...decision.reasonCodes],
    verify: ok ? 'ok' : 'failed',
    bundle: INTENT_PATH,
    pack_path: POLICY_PATH,
    next_commands: next,
    metrics_opt_in: METRICS_OPT_IN,
    duration_ms: 0,
  };
  const human = [
    'mode=policy',
    `policy_verdict=${decision.verdict}`,
    `matched_rule=${decision.matchedRule}`,
    `reason_codes=${decision.reasonCodes.join(',')}`,
    `verify=${ok ? 'ok' : 'failed'}`,
    `bundle=${INTENT_PATH}`,
    `next=${next.join(',')}`,
    `metrics_opt_in=${METRICS_OPT_IN}`,
  ];
  return { exitCode: ok ? EXIT.ok : EXIT.verificationFailed, json, human };
}
