/**
 * `gait init` (artifacts.md §7): scan the repository, then write `.gait.yaml` — a comment header
 * (the file contract, detected frameworks and tools, starter-rule suggestions) followed by a
 * baseline template. Never overwrites without `--force` (exit 6).
 */
import { resolve } from 'node:path';
import { GaitError, isGaitError } from '../../../errors/error.js';
import { parsePolicyYaml } from '../../../policy/parse.js';
import { partBFeaturesEnabled } from '../../../policy/part-b.js';
import { POLICY_TEMPLATES, resolveTemplateName, TEMPLATE_NAMES } from '../../../policy/templates.js';
import type { RuleSuggestion } from '../../../policy/readiness.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import { scanRepository } from '../../../storage/repo-scan.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';
import { CONTRACT, REPO_POLICY_PATH, scanView, suggestionJson } from './project-scan.js';
import type { ScanView } from './project-scan.js';

export const DEFAULT_INIT_TEMPLATE = 'baseline-highrisk';

function list(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}

function suggestionLine(s: RuleSuggestion): string {
  return `#   - ${s.effect} ${s.toolName} (name contains "${s.because}")`;
}

/** The comment header written above the template. */
export function initHeader(template: string, view: ScanView): string {
  const lines = [
    `# gait policy, written by \`gait init\` from template ${template}.`,
    '# Files of a gait project:',
    `#   repo policy (this file):  ${REPO_POLICY_PATH}`,
    '#   project defaults:         .gait/config.yaml',
    '#   regress config:           gait.yaml',
    `# Detected frameworks: ${list(view.detection['frameworks'] as string[])}`,
    `# Detected tools: ${list(view.detection['tool_names'] as string[])}`,
  ];
  if (view.suggestions.length > 0) {
    lines.push('# Starter-rule suggestions (not active: add them under `rules:` to use them):', ...view.suggestions.map(suggestionLine));
  }
  if (view.unknownSignals.length > 0) lines.push(`# Review by hand (the name says nothing about risk): ${view.unknownSignals.join(', ')}`);
  lines.push('# Validate with `gait check` and `gait policy validate .gait.yaml`.', '');
  return `${lines.join('\n')}\n`;
}

function writePolicy(abs: string, shown: string, text: string, force: boolean): void {
  try {
    writeFileAtomic(abs, text, { mode: 0o644, exclusive: !force });
  } catch (err) {
    if (isGaitError(err, 'storage_io') && err.details['exists'] === true) {
      throw new GaitError('input_usage', `policy file already exists (use --force): ${shown}`, { details: { path: shown } });
    }
    throw err;
  }
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const requested = optString(ctx, 'template').trim() || DEFAULT_INIT_TEMPLATE;
  const template = resolveTemplateName(requested);
  if (template === undefined) throw new GaitError('input_usage', `unknown template \`${requested}\`: expected one of ${TEMPLATE_NAMES.join(', ')}`);
  const out = optString(ctx, 'out').trim() || REPO_POLICY_PATH;
  const view = scanView(scanRepository(ctx.io.cwd));
  const text = `${initHeader(template, view)}${POLICY_TEMPLATES[template]}`;
  writePolicy(resolve(ctx.io.cwd, out), out, text, optBool(ctx, 'force'));
  const unsupported = partBFeaturesEnabled(parsePolicyYaml(text, { file: out }));
  const warnings =
    unsupported.length === 0
      ? []
      : [`template ${template} enables features not supported yet (${unsupported.length} rule features); gate eval refuses this policy until they are; use --template baseline-mediumrisk to evaluate now`];
  const next = [`gait check --policy ${out} --json`, `gait policy validate ${out} --json`, 'gait doctor --json'];
  const json = {
    ok: true,
    template,
    policy_path: out,
    detection: view.detection,
    detected_signals: view.detectedSignals,
    generated_rules: view.suggestions.map(suggestionJson),
    unknown_signals: view.unknownSignals,
    contract: CONTRACT,
    next_commands: next,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
  return { exitCode: EXIT.ok, json, human: [`init ok: policy=${out} template=${template}`, ...warnings.map((w) => `warning: ${w}`), `next: ${next.join(' | ')}`] };
}

export const initCommand: CommandSpec = {
  path: ['init'],
  summary: 'scan the repository and write the repo policy .gait.yaml from a baseline template',
  options: [
    { flags: '--template <name>', description: `baseline-lowrisk, baseline-mediumrisk or baseline-highrisk (default ${DEFAULT_INIT_TEMPLATE})` },
    { flags: '--out <path>', description: `where to write the policy (default ${REPO_POLICY_PATH})` },
    { flags: '--force', description: 'overwrite an existing file' },
  ],
  run,
};
