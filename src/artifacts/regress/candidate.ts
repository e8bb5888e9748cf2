/** The `candidate_runpack` of a fixture (artifacts.md §4.3 `diff`, `context_conformance`), as loaded by storage. */
import type { ContextDrift } from '../runpack/diff.js';
import type { RunpackEvidence } from './evidence.js';

/** `run diff` (full privacy) between the fixture runpack and the candidate (§2.10), reduced to what graders use. */
export interface EvidenceDiff {
  readonly manifestChanged: boolean;
  /** sorted symmetric difference of manifest paths */
  readonly filesChanged: readonly string[];
  readonly intentsChanged: boolean;
  readonly resultsChanged: boolean;
  readonly refsChanged: boolean;
  readonly contextDriftClassification: ContextDrift;
}

export type CandidateLoad =
  | { readonly state: 'absent' }
  | { readonly state: 'invalid_path'; readonly error: string }
  | { readonly state: 'invalid'; readonly error: string }
  | {
      readonly state: 'ok';
      readonly evidence: RunpackEvidence;
      /** the diff, or why it failed */
      readonly diff: { readonly ok: true; readonly value: EvidenceDiff } | { readonly ok: false; readonly error: string };
    };
