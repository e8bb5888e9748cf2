/**
 * `gait check` (artifacts.md §7): load and validate the repo policy, then report readiness findings
 * and gap warnings (detected tools no rule names). Invalid policy → exit 6.
 */
import { policyDigest } from '../../../policy/digest.js';
import { gapWarnings, readinessFindings } from '../../../policy/readiness.js';
import { scanRepository } from '../../../storage/repo-scan.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { loadPolicyFile } from '../input.js';
import { CONTRACT, REPO_POLICY_PATH, scanView } from './project-scan.js';
import { MAX_INPUT_OPTION } from './policy-options.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const path = optString(ctx, 'policy').trim() || REPO_POLICY_PATH;
  const policy = loadPolicyFile(ctx, path);
  const scan = scanRepository(ctx.io.cwd);
  const view = scanView(scan);
  const findings = readinessFindings(policy);
  const gaps = gapWarnings(policy, scan.toolNames);
  const rules = policy.rules.length;
  const summary = `policy ok: default_verdict=${policy.defaultVerdict} rules=${rules} findings=${findings.length} gap_warnings=${gaps.length}`;
  const next = findings.length + gaps.length === 0 ? ['gait doctor --json', 'gait demo'] : [`gait policy validate ${path} --json`, 'gait doctor --json'];
  const json = {
    ok: true,
    policy_path: path,
    policy_digest: policyDigest(policy),
    default_verdict: policy.defaultVerdict,
    rule_count: rules,
    detection: view.detection,
    detected_signals: view.detectedSignals,
    unknown_signals: view.unknownSignals,
    contract: CONTRACT,
    findings: findings.map((f) => ({ code: f.code, message: f.message })),
    gap_warnings: gaps,
    next_commands: next,
    summary,
  };
  const human = [
    `check ok: policy=${path} rules=${rules} warnings=${findings.length + gaps.length}`,
    ...findings.map((f) => `finding: ${f.code}: ${f.message}`),
    ...gaps.map((g) => `gap: ${g}`),
  ];
  return { exitCode: EXIT.ok, json, human };
}

export const checkCommand: CommandSpec = {
  path: ['check'],
  summary: 'validate the repo policy and report readiness findings and gaps against the repository scan',
  options: [{ flags: '--policy <path>', description: `policy to check (default ${REPO_POLICY_PATH})` }, MAX_INPUT_OPTION],
  run,
};
