/**
 * The candidate graders of artifacts.md §4.3: `diff` (only with a `candidate_runpack`) and
 * `context_conformance` (context evidence digest and drift classification).
 */
import type { ContextDrift } from '../runpack/diff.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { compareCodePoints } from '../../schema/v1/text.js';
import type { CandidateLoad, EvidenceDiff } from './candidate.js';
import type { RunpackLoad } from './evidence.js';
import type { Fixture, GraderOutcome } from './types.js';

/** The changed set of §4.3 `diff`: `files_changed` plus the entry behind each changed flag. */
export function changedFiles(diff: EvidenceDiff): string[] {
  const out = new Set(diff.filesChanged);
  if (diff.manifestChanged) out.add('manifest.json');
  if (diff.intentsChanged) out.add('intents.jsonl');
  if (diff.resultsChanged) out.add('results.jsonl');
  if (diff.refsChanged) out.add('refs.json');
  return [...out].sort(compareCodePoints);
}

function fail(grader: GraderOutcome['grader'], reason: string, details: JsonObject, contextConformance?: string): GraderOutcome {
  return { grader, status: 'fail', reasonCodes: [reason], details, ...(contextConformance === undefined ? {} : { contextConformance }) };
}

/** `diff` (§4.3); run only when the fixture names a `candidate_runpack`. */
export function gradeDiff(fixture: Fixture, candidate: CandidateLoad): GraderOutcome {
  const details: JsonObject = { candidate_runpack: fixture.candidateRunpack ?? '' };
  switch (candidate.state) {
    case 'absent':
    case 'invalid_path':
      return fail('diff', 'candidate_path_invalid', { ...details, ...(candidate.state === 'invalid_path' ? { error: candidate.error } : {}) });
    case 'invalid':
      return fail('diff', 'candidate_runpack_invalid', { ...details, error: candidate.error });
    case 'ok': {
      if (!candidate.diff.ok) return fail('diff', 'diff_error', { ...details, error: candidate.diff.error });
      const changed = changedFiles(candidate.diff.value);
      const allowed = new Set(fixture.diffAllowChangedFiles ?? []);
      const unexpected = changed.filter((f) => !allowed.has(f));
      const out: JsonObject = { ...details, changed_files: changed };
      if (unexpected.length > 0) return fail('diff', 'unexpected_diff', { ...out, unexpected_files: unexpected });
      return { grader: 'diff', status: 'pass', reasonCodes: [], details: out };
    }
    default: {
      const never: never = candidate;
      return never;
    }
  }
}

export interface ContextOptions {
  /** `--context-conformance` */
  readonly enforce: boolean;
  /** `--allow-context-runtime-drift` */
  readonly allowRuntimeDrift: boolean;
}

/** Whether §4.3 step 3 runs `context_conformance` for this fixture. */
export function contextGraderApplies(fixture: Fixture, options: ContextOptions): boolean {
  return (
    options.enforce ||
    fixture.contextConformance !== undefined ||
    fixture.expectedContextSetDigest !== undefined ||
    fixture.allowContextRuntimeDrift !== undefined
  );
}

interface ContextCandidate {
  readonly digest: string;
  /** a closed union: every value is handled below, nothing unknown can fall through to a pass */
  readonly classification: ContextDrift;
}

function contextCandidate(runpack: RunpackLoad, candidate: CandidateLoad): ContextCandidate | string {
  if (candidate.state === 'ok') {
    if (!candidate.diff.ok) return candidate.diff.error;
    return { digest: candidate.evidence.refs.contextSetDigest, classification: candidate.diff.value.contextDriftClassification };
  }
  if (candidate.state === 'invalid' || candidate.state === 'invalid_path') return candidate.error;
  if (!runpack.ok) return runpack.error;
  return { digest: runpack.evidence.refs.contextSetDigest, classification: 'none' };
}

/** `context_conformance` (§4.3). */
export function gradeContextConformance(fixture: Fixture, runpack: RunpackLoad, candidate: CandidateLoad, options: ContextOptions): GraderOutcome {
  const found = contextCandidate(runpack, candidate);
  if (typeof found === 'string') return fail('context_conformance', 'context_evidence_missing', { error: found }, 'missing');
  const expected = fixture.expectedContextSetDigest ?? '';
  const details: JsonObject = { expected_context_set_digest: expected, candidate_context_set_digest: found.digest };
  const enforced = options.enforce || fixture.contextConformance === 'required' || expected !== '';
  if (expected !== '' && expected.toLowerCase() !== found.digest.toLowerCase() && found.classification !== 'runtime_only') {
    return fail('context_conformance', 'context_set_digest_mismatch', details, 'semantic');
  }
  const pass = (reason: string): GraderOutcome => ({
    grader: 'context_conformance',
    status: 'pass',
    reasonCodes: [reason],
    details,
    contextConformance: found.classification,
  });
  if (!enforced) return pass('context_conformance_not_required');
  if (found.digest === '') return fail('context_conformance', 'context_evidence_missing', details, 'missing');
  if (found.classification === 'semantic') return fail('context_conformance', 'context_semantic_drift', details, 'semantic');
  const allowDrift = options.allowRuntimeDrift || fixture.allowContextRuntimeDrift === true;
  if (found.classification === 'runtime_only' && !allowDrift) {
    return fail('context_conformance', 'context_runtime_drift_blocked', details, 'runtime_only');
  }
  return pass('context_conformance_pass');
}
