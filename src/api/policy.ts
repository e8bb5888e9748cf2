/** `loadPolicy`: policy text (or an already-parsed value) in, a compiled policy out (gate.md §A4). */
import { compilePolicy } from '../policy/compile.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { parsePolicyObject, parsePolicyYaml } from '../policy/parse.js';

export interface LoadPolicyOptions {
  /** File name used in error locations (`file:line:col`); no file is read. */
  readonly file?: string;
}

/**
 * Parses, normalizes and compiles a policy once; evaluate it as often as you like.
 * @param source policy YAML (or JSON) text, or an already-parsed policy object
 * @param options `file` names the source in error messages
 * @returns the compiled policy; `policy.digest` is its Gait v1 `policy_digest`
 * @throws GaitError `policy_parse` (syntax, unknown or duplicate keys, wrong types, empty),
 *   `policy_legacy` (legacy proposal fields), `policy_invalid` (normalization),
 *   `input_unsupported_feature` (the policy enables a feature not built yet; gate.md phase rule)
 * @example const policy = loadPolicy('default_verdict: block\n'); policy.digest; // 64 hex chars
 */
export function loadPolicy(source: string | object, options: LoadPolicyOptions = {}): CompiledPolicy {
  const parseOptions = options.file === undefined ? {} : { file: options.file };
  const policy = typeof source === 'string' ? parsePolicyYaml(source, parseOptions) : parsePolicyObject(source, parseOptions);
  return compilePolicy(policy);
}
