/** `gait policy init <template> [--out gait.policy.yaml] [--force]` (gate.md §A12.7, Appendix E). */
import { resolve } from 'node:path';
import { GaitError, isGaitError } from '../../../errors/error.js';
import { POLICY_TEMPLATES, resolveTemplateName, TEMPLATE_NAMES } from '../../../policy/templates.js';
import type { TemplateName } from '../../../policy/templates.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';

export const DEFAULT_POLICY_OUT = 'gait.policy.yaml';

function templateOrThrow(name: string): { name: TemplateName; text: string } {
  const resolved = resolveTemplateName(name);
  if (resolved === undefined) {
    throw new GaitError('input_usage', `unknown template \`${name.trim()}\`: expected one of ${TEMPLATE_NAMES.join(', ')}`);
  }
  return { name: resolved, text: POLICY_TEMPLATES[resolved] };
}

/** Writes 0644 atomically; without `force` the create is exclusive, so no race can clobber a file. */
function writePolicyFile(abs: string, given: string, text: string, force: boolean): void {
  try {
    writeFileAtomic(abs, text, { mode: 0o644, exclusive: !force });
  } catch (err) {
    if (isGaitError(err, 'storage_io') && err.details['exists'] === true) {
      throw new GaitError('input_usage', `policy file already exists (use --force): ${given}`, { details: { path: given } });
    }
    throw err;
  }
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const [templateArg = ''] = ctx.args;
  const template = templateOrThrow(templateArg);
  const out = ctx.setFlags.has('out') ? optString(ctx, 'out').trim() : DEFAULT_POLICY_OUT;
  if (out === '') throw new GaitError('input_usage', 'output path must not be empty');
  const abs = resolve(ctx.io.cwd, out);
  writePolicyFile(abs, out, template.text, optBool(ctx, 'force'));
  const nextCommands = [`gait policy validate ${out} --json`, `gait policy fmt ${out} --write --json`, 'gait doctor --json'];
  return {
    exitCode: EXIT.ok,
    json: { ok: true, template: template.name, policy_path: out, next_commands: nextCommands },
    human: [`policy init ok: template=${template.name} output=${out}`, `next: ${nextCommands.join(' | ')}`],
  };
}

export const policyInitCommand: CommandSpec = {
  path: ['policy', 'init'],
  summary: 'write a starter policy from a template: baseline-lowrisk, baseline-mediumrisk or baseline-highrisk',
  args: ['<template>'],
  options: [
    { flags: '--out <path>', description: `where to write the policy (default ${DEFAULT_POLICY_OUT})` },
    { flags: '--force', description: 'overwrite an existing file' },
  ],
  run,
};
