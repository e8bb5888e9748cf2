/** `gait policy test <policy.yaml> <intent.json>` (gate.md §A12.7): one intent, one policy, no side effects. */
import { formatTimestamp, toUtc } from '../../../runtime/timestamp.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { exitCodeForVerdict } from '../exit.js';
import { loadCompiledPolicy, readIntentJson } from '../input.js';
import { omitEmpty } from '../output.js';
import { MAX_INPUT_OPTION } from './policy-options.js';
import { normalizeFixtureIntent, policyTestSummary, runPolicyTest } from './policy-test-run.js';

export const POLICY_TEST_SCHEMA_ID = 'gait.policytest.result';
export const POLICY_TEST_SCHEMA_VERSION = '1.0.0';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const [policyPath = '', intentPath = ''] = ctx.args;
  // Wall-clock evaluation time (gate.md §A12.7); created_at is the same instant in canonical UTC.
  const now = toUtc(ctx.io.clock.now());
  const compiled = loadCompiledPolicy(ctx, policyPath);
  const intent = normalizeFixtureIntent(readIntentJson(ctx, intentPath), intentPath);
  const result = runPolicyTest(compiled, intent, now, intentPath);
  const summary = policyTestSummary(result);
  const json = omitEmpty({
    ok: true,
    schema_id: POLICY_TEST_SCHEMA_ID,
    schema_version: POLICY_TEST_SCHEMA_VERSION,
    created_at: formatTimestamp(now),
    policy_digest: compiled.digest,
    intent_digest: result.intentDigest,
    verdict: result.verdict,
    reason_codes: [...result.reasonCodes],
    violations: [...result.violations],
    matched_rule: result.matchedRule,
    summary,
  });
  return { exitCode: exitCodeForVerdict(result.verdict), json, human: [summary] };
}

export const policyTestCommand: CommandSpec = {
  path: ['policy', 'test'],
  summary: 'evaluate one intent against one policy (policy rules only) and exit 0 allow/dry_run, 3 block, 4 require_approval',
  args: ['<policy>', '<intent>'],
  options: [MAX_INPUT_OPTION],
  run,
};
