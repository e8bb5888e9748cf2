/**
 * `gait policy validate <policy.yaml>` (gate.md §A12.7): parse and normalize only. Part B keys are
 * accepted here (phase rule); the features they enable are reported, since evaluation refuses them.
 */
import { policyDigest } from '../../../policy/digest.js';
import { partBFeaturesEnabled } from '../../../policy/part-b.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { loadPolicyFile } from '../input.js';
import { omitEmpty } from '../output.js';
import { MAX_INPUT_OPTION } from './policy-options.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const [policyPath = ''] = ctx.args;
  const policy = loadPolicyFile(ctx, policyPath);
  const digest = policyDigest(policy);
  const ruleCount = policy.rules.length;
  const summary = `policy validate ok: default=${policy.defaultVerdict} rules=${ruleCount} digest=${digest}`;
  const unsupported = partBFeaturesEnabled(policy);
  const human = [summary];
  if (unsupported.length > 0) {
    human.push(`warning: policy enables features not supported yet (evaluation will refuse it): ${unsupported.join('; ')}`);
  }
  const json = omitEmpty({
    ok: true,
    schema_id: policy.schemaId,
    schema_version: policy.schemaVersion,
    policy_digest: digest,
    default_verdict: policy.defaultVerdict,
    rule_count: ruleCount,
    summary,
    unsupported_features: unsupported,
  });
  return { exitCode: EXIT.ok, json, human };
}

export const policyValidateCommand: CommandSpec = {
  path: ['policy', 'validate'],
  summary: 'parse and normalize one policy file with strict YAML checks and print its digest',
  args: ['<policy>'],
  options: [MAX_INPUT_OPTION],
  run,
};
