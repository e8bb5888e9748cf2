/**
 * The decision diff of `gait policy simulate` over a recorded corpus (issue 4; gate.md §A12.7
 * extension): the calls whose verdict changes under the candidate policy, grouped by tool, verdict
 * transition and the candidate's reason codes, so a reviewer sees "tool.write: allow → block
 * (write_blocked) ×12" instead of a list of files.
 */
import type { JsonObject } from '../../schema/v1/json-types.js';
import { compareCodePoints } from '../../schema/v1/text.js';

export interface DecisionChange {
  /** the call: a fixture file, or `<runpack or fixture>#<intent_id>` */
  readonly source: string;
  readonly toolName: string;
  readonly baselineVerdict: string;
  readonly candidateVerdict: string;
  readonly candidateReasonCodes: readonly string[];
}

export interface DecisionDiffGroup {
  readonly toolName: string;
  readonly baselineVerdict: string;
  readonly candidateVerdict: string;
  readonly candidateReasonCodes: readonly string[];
  /** sorted */
  readonly calls: readonly string[];
}

function groupKey(c: DecisionChange): string {
  return [c.toolName, c.baselineVerdict, c.candidateVerdict, c.candidateReasonCodes.join(',')].join('\u0000');
}

function compareGroups(a: DecisionDiffGroup, b: DecisionDiffGroup): number {
  return (
    compareCodePoints(a.toolName, b.toolName) ||
    compareCodePoints(a.baselineVerdict, b.baselineVerdict) ||
    compareCodePoints(a.candidateVerdict, b.candidateVerdict) ||
    compareCodePoints(a.candidateReasonCodes.join(','), b.candidateReasonCodes.join(','))
  );
}

/**
 * Groups the verdict changes (calls whose reasons alone changed are left out).
 * @returns groups sorted by tool, baseline verdict, candidate verdict, reasons
 */
export function groupVerdictChanges(changes: readonly DecisionChange[]): DecisionDiffGroup[] {
  const groups = new Map<string, { head: DecisionChange; calls: string[] }>();
  for (const c of changes) {
    if (c.baselineVerdict === c.candidateVerdict) continue;
    const key = groupKey(c);
    const group = groups.get(key) ?? { head: c, calls: [] };
    group.calls.push(c.source);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ head, calls }) => ({
      toolName: head.toolName,
      baselineVerdict: head.baselineVerdict,
      candidateVerdict: head.candidateVerdict,
      candidateReasonCodes: [...head.candidateReasonCodes],
      calls: calls.sort(compareCodePoints),
    }))
    .sort(compareGroups);
}

/** A group as JSON output. */
export function toDecisionDiffJson(g: DecisionDiffGroup): JsonObject {
  return {
    tool_name: g.toolName,
    baseline_verdict: g.baselineVerdict,
    candidate_verdict: g.candidateVerdict,
    candidate_reason_codes: [...g.candidateReasonCodes],
    count: g.calls.length,
    calls: [...g.calls],
  };
}

/** One human line: `tool.write: allow -> block (write_blocked) x2`. */
export function decisionDiffLine(g: DecisionDiffGroup): string {
  const reasons = g.candidateReasonCodes.length === 0 ? '' : ` (${g.candidateReasonCodes.join(',')})`;
  return `${g.toolName}: ${g.baselineVerdict} -> ${g.candidateVerdict}${reasons} x${g.calls.length}`;
}
