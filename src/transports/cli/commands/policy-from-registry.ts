/**
 * `gait policy from-registry --input <allowlist.json> --out <policy.yaml>` (mcp-and-export.md §8):
 * an approved-tool registry becomes a default-block policy with one allow rule, validated by loading
 * it back before anything is written.
 */
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { parseRegistryAllowlist, renderRegistryPolicy } from '../../../policy/registry-import.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { maxInputBytes } from '../input.js';

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const input = optString(ctx, 'input').trim();
  const out = optString(ctx, 'out').trim();
  if (input === '' || out === '') throw new GaitError('input_usage', 'expected --input <allowlist.json> and --out <policy.yaml>');
  const text = readInputFile(resolve(ctx.io.cwd, input), { label: 'allowlist', maxBytes: maxInputBytes(ctx), displayPath: input });
  const tools = parseRegistryAllowlist(parseJsonText(text, { label: 'allowlist', file: input }));
  const rendered = renderRegistryPolicy(tools, { ruleName: optString(ctx, 'ruleName'), allowReasonCode: optString(ctx, 'allowReasonCode') });
  writeFileAtomic(resolve(ctx.io.cwd, out), rendered.yaml, { mode: 0o644 });
  return {
    exitCode: EXIT.ok,
    json: { ok: true, tools: tools.length, input, output: out, policy_digest: rendered.policyDigest },
    human: [`rendered policy: tools=${tools.length} input=${input} output=${out}`],
  };
}

export const policyFromRegistryCommand: CommandSpec = {
  path: ['policy', 'from-registry'],
  summary: 'render an approved-tool allowlist as a default-block gate policy (validated before it is written)',
  options: [
    { flags: '--input <path>', description: 'allowlist JSON: {"tools": [...]}, [...] or [{"tool_name": ...}, ...]' },
    { flags: '--out <path>', description: 'policy YAML to write (replaced atomically)' },
    { flags: '--rule-name <name>', description: 'name of the allow rule (default allow_registry_tools)' },
    { flags: '--allow-reason-code <code>', description: 'reason code of the allow rule (default allowed_by_external_registry)' },
    { flags: '--max-input-bytes <n>', description: 'size cap for the allowlist (default 1048576)' },
  ],
  run,
};
