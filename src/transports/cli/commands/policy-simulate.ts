/**
 * `gait policy simulate --policy <candidate> --baseline <baseline> --fixtures <csv>` (gate.md §A12.7):
 * runs the `policy test` logic for every recorded call under both policies, lists what changed,
 * groups the verdict changes by tool and reason (`decision_diff`) and recommends a rollout stage.
 * The corpus may hold intent files, JSONL intents, runpacks and regress fixtures
 * (`policy-corpus.ts`, issue 4). Always exit 0 once evaluated.
 */
import { GaitError } from '../../../errors/error.js';
import type { CompiledPolicy } from '../../../policy/compile.js';
import type { Verdict } from '../../../policy/model.js';
import type { Timestamp } from '../../../runtime/timestamp-type.js';
import { compareCodePoints } from '../../../schema/v1/text.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { loadCompiledPolicy } from '../input.js';
import type { JsonOut } from '../output.js';
import { omitEmpty } from '../output.js';
import { decisionDiffLine, groupVerdictChanges, toDecisionDiffJson } from '../../../artifacts/regress/decision-diff.js';
import { createProgress } from '../progress.js';
import { loadCorpus } from './policy-corpus.js';
import type { CorpusCall } from './policy-corpus.js';
import { resolveCorpusSources } from './policy-fixtures.js';
import { MAX_INPUT_OPTION } from './policy-options.js';
import type { PolicyTestRun } from './policy-test-run.js';
import { normalizeFixtureIntent, runPolicyTest } from './policy-test-run.js';

export type Recommendation = 'enforce' | 'observe' | 'require_approval';

interface FixtureComparison {
  readonly path: string;
  readonly toolName: string;
  readonly baseline: PolicyTestRun;
  readonly candidate: PolicyTestRun;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Changed when verdict, reasons, violations or matched_rule differ (gate.md §A12.7). */
export function isChanged(baseline: PolicyTestRun, candidate: PolicyTestRun): boolean {
  return (
    baseline.verdict !== candidate.verdict ||
    !sameList(baseline.reasonCodes, candidate.reasonCodes) ||
    !sameList(baseline.violations, candidate.violations) ||
    baseline.matchedRule !== candidate.matchedRule
  );
}

/**
 * No changes → `enforce`; any change from non-`allow` to `allow` → `observe`; else any change from
 * non-`block` to `block` → `require_approval`; else `enforce` (gate.md §A12.7).
 */
export function recommendRollout(changed: readonly { baselineVerdict: Verdict; candidateVerdict: Verdict }[]): Recommendation {
  if (changed.some((c) => c.baselineVerdict !== 'allow' && c.candidateVerdict === 'allow')) return 'observe';
  if (changed.some((c) => c.baselineVerdict !== 'block' && c.candidateVerdict === 'block')) return 'require_approval';
  return 'enforce';
}

/** `[{verdict, count}]` sorted by verdict. */
function verdictCounts(verdicts: readonly Verdict[]): JsonOut[] {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.keys()].sort(compareCodePoints).map((verdict) => ({ verdict, count: counts.get(verdict) }));
}

function changedEntry(c: FixtureComparison): JsonOut {
  return omitEmpty(
    {
      fixture_path: c.path,
      tool_name: c.toolName,
      intent_digest: c.baseline.intentDigest,
      baseline_verdict: c.baseline.verdict,
      candidate_verdict: c.candidate.verdict,
      baseline_reason_codes: [...c.baseline.reasonCodes],
      candidate_reason_codes: [...c.candidate.reasonCodes],
      baseline_violations: [...c.baseline.violations],
      candidate_violations: [...c.candidate.violations],
      baseline_matched_rule: c.baseline.matchedRule,
      candidate_matched_rule: c.candidate.matchedRule,
      changed: true,
    },
    ['fixture_path', 'tool_name', 'intent_digest', 'baseline_verdict', 'candidate_verdict', 'changed'],
  );
}

function requireFlag(ctx: CommandContext, name: string, usage: string): string {
  const value = optString(ctx, name).trim();
  if (value === '') throw new GaitError('input_usage', `missing required ${usage}`);
  return value;
}

function compareCall(call: CorpusCall, policies: [CompiledPolicy, CompiledPolicy], at: Timestamp): FixtureComparison {
  const { path } = call;
  const intent = normalizeFixtureIntent(call.raw, path);
  return { path, toolName: intent.toolName, baseline: runPolicyTest(policies[0], intent, at, path), candidate: runPolicyTest(policies[1], intent, at, path) };
}

function compareAll(ctx: CommandContext, calls: readonly CorpusCall[], policies: [CompiledPolicy, CompiledPolicy], at: Timestamp): FixtureComparison[] {
  const progress = createProgress(ctx.io, { json: ctx.json, title: 'simulate', minTotal: 200 });
  try {
    return calls.map((call, i) => {
      const result = compareCall(call, policies, at);
      progress.update(i + 1, calls.length);
      return result;
    });
  } finally {
    progress.finish();
  }
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const candidatePath = requireFlag(ctx, 'policy', '--policy <candidate_policy.yaml>');
  const baselinePath = requireFlag(ctx, 'baseline', '--baseline <baseline_policy.yaml>');
  const sources = resolveCorpusSources(optString(ctx, 'fixtures'), ctx.io.cwd);
  const candidate = loadCompiledPolicy(ctx, candidatePath);
  const baseline = loadCompiledPolicy(ctx, baselinePath);
  const corpus = loadCorpus(ctx, sources);
  if (corpus.calls.length === 0) throw new GaitError('input_usage', 'no intent fixtures discovered from --fixtures');
  const results = compareAll(ctx, corpus.calls, [baseline, candidate], ctx.io.clock.now());
  const changed = results.filter((r) => isChanged(r.baseline, r.candidate));
  const recommendation = recommendRollout(
    changed.map((c) => ({ baselineVerdict: c.baseline.verdict, candidateVerdict: c.candidate.verdict })),
  );
  const groups = groupVerdictChanges(
    changed.map((c) => ({
      source: c.path,
      toolName: c.toolName,
      baselineVerdict: c.baseline.verdict,
      candidateVerdict: c.candidate.verdict,
      candidateReasonCodes: c.candidate.reasonCodes,
    })),
  );
  const total = results.length;
  const summary = `policy simulate fixtures=${total} changed=${changed.length} recommendation=${recommendation}`;
  const json = omitEmpty({
    ok: true,
    baseline_policy_digest: baseline.digest,
    candidate_policy_digest: candidate.digest,
    fixtures_total: total,
    changed_fixtures: changed.length,
    baseline_verdicts: verdictCounts(results.map((r) => r.baseline.verdict)),
    candidate_verdicts: verdictCounts(results.map((r) => r.candidate.verdict)),
    recommendation,
    summary,
    changed: changed.map(changedEntry),
    decision_diff: groups.map(toDecisionDiffJson),
    warnings: corpus.warnings,
  });
  const human = [summary, ...groups.map((g) => `  ${decisionDiffLine(g)}`), ...corpus.warnings.map((w) => `warning: ${w}`)];
  return { exitCode: EXIT.ok, json, human };
}

export const policySimulateCommand: CommandSpec = {
  path: ['policy', 'simulate'],
  summary: 'compare baseline and candidate policy verdicts across fixture intents and recommend a rollout stage',
  options: [
    { flags: '--policy <path>', description: 'candidate policy YAML file' },
    { flags: '--baseline <path>', description: 'baseline policy YAML file' },
    { flags: '--fixtures <csv>', description: 'comma-separated corpus: intent .json, .jsonl intents, runpack .zip, regress fixture dirs, gait.yaml (directories walked)' },
    MAX_INPUT_OPTION,
  ],
  run,
};
