/**
 * `gait policy fmt <policy.yaml> [--write]` (gate.md §A12.7): re-emits the normalized policy as
 * deterministic YAML; `--write` replaces the file only when the bytes change, keeping its mode.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { policyDigest } from '../../../policy/digest.js';
import { formatPolicyYaml } from '../../../policy/format.js';
import { parsePolicyYaml } from '../../../policy/parse.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import { readInputFile } from '../../../storage/read-input.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool } from '../command.js';
import { EXIT } from '../exit.js';
import { maxInputBytes } from '../input.js';
import { omitEmpty } from '../output.js';
import { MAX_INPUT_OPTION } from './policy-options.js';

/** Rewrites the file in place (through a symlink to its target), keeping its permission bits. */
function rewriteKeepingMode(absPath: string, text: string): void {
  const target = realpathSync(absPath);
  const mode = statSync(target).mode & 0o777;
  writeFileAtomic(target, text, { mode });
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const [policyPath = ''] = ctx.args;
  const write = optBool(ctx, 'write');
  const absPath = resolve(ctx.io.cwd, policyPath);
  const text = readInputFile(absPath, { label: 'policy', maxBytes: maxInputBytes(ctx) });
  const policy = parsePolicyYaml(text, { file: policyPath });
  const formatted = formatPolicyYaml(policy);
  // Compare raw bytes, so a BOM or CRLF line ends count as a change.
  const changed = !readFileSync(absPath).equals(Buffer.from(formatted, 'utf8'));
  const written = write && changed;
  if (written) rewriteKeepingMode(absPath, formatted);
  const ruleCount = policy.rules.length;
  const json = omitEmpty({
    ok: true,
    path: policyPath,
    written,
    changed,
    policy_digest: policyDigest(policy),
    default_verdict: policy.defaultVerdict,
    rule_count: ruleCount,
    formatted: write ? '' : formatted,
  });
  // Without --write and --json the formatted YAML itself is the output.
  const human = write
    ? [`policy fmt ok: path=${policyPath} changed=${String(changed)} written=${String(written)} rules=${ruleCount}`]
    : [formatted.replace(/\n$/, '')];
  return { exitCode: EXIT.ok, json, human };
}

export const policyFmtCommand: CommandSpec = {
  path: ['policy', 'fmt'],
  summary: 'print one policy file as normalized, deterministic YAML, or rewrite it in place with --write',
  args: ['<policy>'],
  options: [{ flags: '--write', description: 'rewrite the file when the formatted text differs' }, MAX_INPUT_OPTION],
  run,
};
