/**
 * External tool registry → gate policy (mcp-and-export.md §8). Pure: the allowlist JSON value in,
 * policy YAML text out, proven by loading it back through the gate policy loader.
 */
import { parse as parseYaml } from 'yaml';
import { GaitError } from '../errors/error.js';
import { isJsonObject, ObjectReader } from '../schema/v1/decode.js';
import { compareCodePoints, lowerSimple, trimSpec } from '../schema/v1/text.js';
import { compilePolicy } from './compile.js';
import { policyDigest } from './digest.js';
import { parsePolicyYaml } from './parse.js';

export const DEFAULT_REGISTRY_RULE_NAME = 'allow_registry_tools';
export const DEFAULT_REGISTRY_REASON_CODE = 'allowed_by_external_registry';

function invalid(message: string, path?: string): GaitError {
  return new GaitError('input_usage', message, path === undefined ? {} : { details: { path } });
}

function itemName(item: unknown, path: string): string {
  if (typeof item === 'string') return item;
  if (isJsonObject(item)) {
    const value = ObjectReader.of(item, path, 'input_usage').get('tool_name');
    if (typeof value === 'string') return value;
    throw invalid(`${path}.tool_name must be a string`, `${path}.tool_name`);
  }
  throw invalid(`${path} must be a string or an object with a string tool_name`, path);
}

/**
 * The tool names of an allowlist (§8): `{"tools": [...]}`, `[...]`; items strings or objects with a
 * string `tool_name` (mixing allowed). Trimmed, blanks dropped, lowercased, de-duplicated, sorted.
 * @throws GaitError `input_usage` for any other shape, and `no tool names found in allowlist input`
 * @example parseRegistryAllowlist({tools: ['B', ' a ', {tool_name: 'b'}]}) // ['a', 'b']
 */
export function parseRegistryAllowlist(raw: unknown): string[] {
  let items: readonly unknown[];
  let base: string;
  if (Array.isArray(raw)) {
    items = raw;
    base = '';
  } else if (isJsonObject(raw)) {
    const tools = ObjectReader.of(raw, '', 'input_usage').get('tools');
    if (!Array.isArray(tools)) throw invalid('allowlist object needs a `tools` array', 'tools');
    items = tools;
    base = 'tools';
  } else {
    throw invalid('allowlist input must be a JSON array or an object with a `tools` array');
  }
  const names = new Set<string>();
  items.forEach((item, i) => {
    const name = lowerSimple(trimSpec(itemName(item, `${base}[${i}]`)));
    if (name !== '') names.add(name);
  });
  if (names.size === 0) throw invalid('no tool names found in allowlist input');
  return [...names].sort(compareCodePoints);
}

const SPECIAL = /[,[\]{}#:&*!|>'"%@`]/;
// YAML 1.1 readers (Gait v1 used yaml.v3) also resolve these plain words to booleans.
const YAML11_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~']);

/** Whether `value` survives as a plain scalar inside a flow sequence (§8), judged by re-parsing. */
export function isPlainSafe(value: string): boolean {
  if (value === '' || value !== value.trim() || SPECIAL.test(value)) return false;
  // eslint-disable-next-line no-control-regex -- control characters force quoting
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(value)) return false;
  if (YAML11_WORDS.has(value.toLowerCase()) || value.startsWith('-') || value.startsWith('?')) return false;
  try {
    const parsed: unknown = parseYaml(`[${value}]`);
    return Array.isArray(parsed) && parsed.length === 1 && parsed[0] === value;
  } catch {
    return false;
  }
}

/** A plain scalar when safe, else a double-quoted one (JSON string syntax is valid YAML double-quoted). */
export function yamlScalar(value: string): string {
  return isPlainSafe(value) ? value : JSON.stringify(value);
}

export interface RegistryPolicyOptions {
  /** blank → `allow_registry_tools` */
  readonly ruleName?: string;
  /** blank → `allowed_by_external_registry` */
  readonly allowReasonCode?: string;
}

export interface RenderedRegistryPolicy {
  readonly yaml: string;
  readonly tools: readonly string[];
  readonly policyDigest: string;
}

/**
 * Renders the §8 policy for `tools` and proves it: the text is loaded through the gate policy loader
 * and must give back exactly these tool names, rule name and reason code.
 * @throws GaitError `input_usage` when the names or codes cannot be expressed (the loader refuses the
 *   rendered policy), `internal_failure` when it loads but differs
 */
export function renderRegistryPolicy(tools: readonly string[], options: RegistryPolicyOptions = {}): RenderedRegistryPolicy {
  const ruleName = trimSpec(options.ruleName ?? '') || DEFAULT_REGISTRY_RULE_NAME;
  const reasonCode = trimSpec(options.allowReasonCode ?? '') || DEFAULT_REGISTRY_REASON_CODE;
  const yaml = [
    'schema_id: gait.gate.policy',
    'schema_version: 1.0.0',
    'default_verdict: block',
    'rules:',
    `  - name: ${yamlScalar(ruleName)}`,
    '    priority: 10',
    '    effect: allow',
    '    match:',
    `      tool_names: [${tools.map(yamlScalar).join(', ')}]`,
    `    reason_codes: [${yamlScalar(reasonCode)}]`,
    '  - name: block_unknown_tools',
    '    priority: 100',
    '    effect: block',
    '    reason_codes: [blocked_tool_not_in_external_registry]',
    '    violations: [tool_not_allowlisted]',
    '',
  ].join('\n');
  let loaded;
  try {
    loaded = parsePolicyYaml(yaml, { file: 'policy.yaml' });
    compilePolicy(loaded);
  } catch (cause) {
    throw new GaitError('input_usage', `rendered policy does not load: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const allow = loaded.rules.find((rule) => rule.name === ruleName);
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  if (allow === undefined || !same(allow.match.toolNames, tools) || !same(allow.reasonCodes, [reasonCode])) {
    throw new GaitError('internal_failure', 'rendered policy does not load back with the same tool names');
  }
  return { yaml, tools, policyDigest: policyDigest(loaded) };
}
