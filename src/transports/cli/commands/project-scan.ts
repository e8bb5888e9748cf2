/** What `gait init` and `gait check` report about the repository (artifacts.md §7). */
import { suggestRule } from '../../../policy/readiness.js';
import type { RuleSuggestion } from '../../../policy/readiness.js';
import type { RepoScan } from '../../../storage/repo-scan.js';
import type { JsonOut } from '../output.js';

export const REPO_POLICY_PATH = '.gait.yaml';

/** The file contract of a gait project (§7). */
export const CONTRACT: JsonOut = {
  repo_policy_path: REPO_POLICY_PATH,
  project_defaults_path: '.gait/config.yaml',
  regress_config_path: 'gait.yaml',
  legacy_policy_scaffold_path: 'gait.policy.yaml',
};

export interface ScanView {
  readonly detection: JsonOut;
  readonly detectedSignals: string[];
  readonly suggestions: RuleSuggestion[];
  readonly unknownSignals: string[];
}

/** Signals (`framework:<f>`, `tool:<t>`), starter-rule suggestions and the tools nothing is known about. */
export function scanView(scan: RepoScan): ScanView {
  const suggestions = scan.toolNames.flatMap((t) => {
    const s = suggestRule(t);
    return s === undefined ? [] : [s];
  });
  const known = new Set(suggestions.map((s) => s.toolName));
  return {
    detection: { frameworks: [...scan.frameworks], tool_names: [...scan.toolNames] },
    detectedSignals: [...scan.frameworks.map((f) => `framework:${f}`), ...scan.toolNames.map((t) => `tool:${t}`)],
    suggestions,
    unknownSignals: scan.toolNames.filter((t) => !known.has(t)).map((t) => `tool:${t}`),
  };
}

/** A suggestion as JSON: `{name, effect, tool_name, because}`. */
export function suggestionJson(s: RuleSuggestion): JsonOut {
  const slug = s.toolName.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return { name: `${s.effect.replace(/_/g, '-')}-${slug}`, effect: s.effect, tool_name: s.toolName, because: s.because };
}
