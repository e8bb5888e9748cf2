/**
 * Static readiness advice for `gait init` and `gait check` (artifacts.md §7): starter-rule
 * suggestions for detected tool names, readiness findings about a policy, and gap warnings for
 * detected tools no rule names. Pure and advisory: never evaluates an intent (STYLE.md §2).
 */
import type { Policy, Verdict } from './model.js';
import { partBFeaturesEnabled } from './part-b.js';

export interface RuleSuggestion {
  readonly toolName: string;
  readonly effect: Verdict;
  /** why this effect: the word in the tool name it keys on */
  readonly because: string;
}

export interface ReadinessFinding {
  readonly code: string;
  readonly message: string;
}

const WORDS: readonly (readonly [Verdict, readonly string[]])[] = [
  ['block', ['delete', 'remove', 'drop', 'destroy', 'truncate', 'purge', 'rm']],
  ['require_approval', ['write', 'create', 'update', 'put', 'post', 'send', 'exec', 'shell', 'run', 'deploy', 'publish', 'patch', 'edit', 'move', 'transfer', 'pay']],
  ['allow', ['read', 'get', 'list', 'search', 'fetch', 'query', 'view', 'describe', 'summarize', 'lookup', 'find']],
];

/** The words of a tool name: split on anything that is not a letter or digit, and on camelCase. */
function wordsOf(toolName: string): string[] {
  return toolName
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * A starter rule for a tool by its name (destructive → block, writes → require_approval, reads →
 * allow), or undefined when the name says nothing (an unknown signal).
 * @example suggestRule('fs.delete_file')?.effect // 'block'
 */
export function suggestRule(toolName: string): RuleSuggestion | undefined {
  const words = wordsOf(toolName);
  for (const [effect, keys] of WORDS) {
    const hit = keys.find((k) => words.includes(k));
    if (hit !== undefined) return { toolName, effect, because: hit };
  }
  return undefined;
}

/** Readiness findings (most important first). */
export function readinessFindings(policy: Policy): ReadinessFinding[] {
  const out: ReadinessFinding[] = [];
  if (policy.defaultVerdict === 'allow') {
    out.push({ code: 'default_verdict_allow', message: 'default_verdict is allow: any tool no rule matches will run; prefer block or require_approval' });
  }
  if (policy.rules.length === 0) out.push({ code: 'no_rules', message: 'the policy has no rules: every call gets the default verdict' });
  const unsupported = partBFeaturesEnabled(policy);
  if (unsupported.length > 0) {
    out.push({ code: 'unsupported_features', message: `the policy enables features not supported yet, so evaluation refuses it: ${unsupported.join('; ')}` });
  }
  if (!policy.failClosed.enabled) {
    out.push({ code: 'fail_closed_disabled', message: 'fail_closed is disabled: high-risk intents missing targets or provenance are not blocked before rules run' });
  }
  return out;
}

/** Tool names every rule names (`match.tool_names`). */
function namedTools(policy: Policy): Set<string> {
  return new Set(policy.rules.flatMap((r) => r.match.toolNames));
}

/** Detected tools that no rule names: they fall to the default verdict unless another predicate matches. */
export function gapWarnings(policy: Policy, toolNames: readonly string[]): string[] {
  const named = namedTools(policy);
  return toolNames.filter((t) => !named.has(t)).map((t) => `tool ${t} is not named by any rule (falls to default_verdict=${policy.defaultVerdict} unless another match applies)`);
}
