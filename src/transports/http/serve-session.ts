/**
 * Session journals of the decision service (mcp-and-export.md §5.6 "Sessions", artifacts.md §2.12).
 * After the trace is written, a request with a session id (the request's `session_id`, else the
 * intent's) appends one event to `<session-dir>/<base>.journal.jsonl` (or, when that journal belongs
 * to another run, `<base>_<run id>.journal.jsonl`; or the request's `session_journal` under
 * `--allow-client-artifact-paths`) and answers the warning `session_journal=<path> sequence=<n>`.
 * With `checkpoint_interval > 0`, a sequence that is a multiple of it and a runpack directory, it
 * also emits the signed checkpoint `<runpack-dir>/<base>_cp_<sequence>.zip` and the chain file
 * (warning `session_checkpoint=<path> chain=<path>`). A journal, checkpoint or chain that cannot be
 * written fails the request (500, §5.7).
 *
 * The service appends through held journals (`storage/session-journals.ts`, ADR 0012 "Journals and
 * exports"): a journal's lock is taken once and kept while its session is busy, so an append costs one
 * write plus the trace durability (`--trace-sync`), and `close()` releases every journal.
 */
import { dirname, resolve } from 'node:path';
import { journalFileName, sessionFileBase } from '../../artifacts/session/names.js';
import type { SessionEventInput } from '../../artifacts/session/types.js';
import type { RunEnv } from '../../artifacts/runpack/types.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import type { Clock } from '../../runtime/clock.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { trimSpec } from '../../schema/v1/text.js';
import { assertSafeRelativePath, ensureDir } from '../../storage/atomic-write.js';
import type { DurableWriter } from '../../storage/durable-writer.js';
import { RetentionClass } from '../../storage/retention.js';
import type { RetentionLimits } from '../../storage/retention.js';
import type { JobStateRead } from '../../storage/job-state-file.js';
import { safetyInvariantsOf } from '../../storage/session-job-state.js';
import type { JournalCandidate } from '../../storage/session-journal.js';
import { SessionJournals } from '../../storage/session-journals.js';
import type { SessionJournalsOptions } from '../../storage/session-journals.js';
import { toProxyOutput } from '../mcp/proxy.js';
import type { ProxyDecision } from '../mcp/proxy.js';
import { badRequest } from './http-errors.js';
import type { EvaluateRequest } from './request.js';

export const DEFAULT_SESSION_DIR = './gait-out/mcp-serve/sessions';

/** The service's session configuration, fixed at startup. */
export interface ServeSessionSettings {
  /** `--session-dir` as given */
  readonly dir: string;
  /** the session retention class (`*.json`, `*.jsonl`, `*.state` in the session dir), when a limit is set */
  readonly retention: RetentionClass | undefined;
  /** the held journals; `closeServeSessions` releases them */
  readonly journals: SessionJournals;
}

export interface ServeSessionOptions {
  readonly cwd: string;
  /** default `./gait-out/mcp-serve/sessions` */
  readonly dir?: string;
  readonly retention: RetentionLimits;
  /** the service's artifact writer: journals use its durability */
  readonly writer: DurableWriter;
  /** hold timings (tests; defaults in `storage/held-append.ts`) */
  readonly hold?: Pick<SessionJournalsOptions, 'lock' | 'idleMs' | 'refreshMs' | 'maxHoldMs'>;
}

/**
 * §5.2: creates the session directory and lists it for retention.
 * @throws GaitError `storage_io` (the directory cannot be created or listed)
 */
export function prepareServeSessions(options: ServeSessionOptions): ServeSessionSettings {
  const dir = (options.dir ?? '').trim() || DEFAULT_SESSION_DIR;
  const full = resolve(options.cwd, dir);
  ensureDir(full);
  const retention = new RetentionClass('session', full, options.retention);
  if (retention.enabled) retention.prime();
  const journals = new SessionJournals({
    writer: options.writer,
    ...options.hold,
    // A state file written when a hold ends belongs to the session class when it is in the session directory.
    onStateWritten: (f) => {
      if (retention.enabled && dirname(f.path) === full) retention.noteWritten(f.path, f.size);
    },
  });
  return { dir, retention: retention.enabled ? retention : undefined, journals };
}

/** Releases the held journals (state files written, fsyncs done, locks removed); never rejects. */
export function closeServeSessions(settings: ServeSessionSettings): Promise<void> {
  return settings.journals.close();
}

/** The session retention class, when a limit is set (applied after each request with the others). */
export function sessionRetention(settings: ServeSessionSettings): RetentionClass[] {
  return settings.retention === undefined ? [] : [settings.retention];
}

/**
 * The §5.5 check of a client journal path, run before evaluation (whether client paths are allowed
 * at all is checked by the caller).
 * @throws GaitError `input_path` (`relative session journal path must not traverse parent directories`)
 */
export function checkSessionRequest(req: EvaluateRequest): void {
  if (req.sessionJournal !== '') assertSafeRelativePath(req.sessionJournal, 'session journal');
}

/** What the session step needs from the request context. */
export interface SessionWriteContext {
  readonly sessions: ServeSessionSettings;
  readonly cwd: string;
  readonly clock: Clock;
  readonly producerVersion: string;
  /** signs checkpoint runpacks and chains (the server key, §12) */
  readonly signingKey: SigningKey;
  /** `--runpack-dir` as given; '' = no checkpoints */
  readonly runpackDir: string;
  /** the runpack retention class (checkpoints are `_cp_` runpacks) */
  readonly runpackRetention?: RetentionClass | undefined;
  readonly hostEnv?: RunEnv;
  /** the job's state file, read once per request (the safety invariants of the event) */
  readonly jobRecord: (jobId: string) => JobStateRead;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The §2.12 event members of a decision, from its §4 output. */
function eventInput(decision: ProxyDecision, tracePath: string, ctx: SessionWriteContext): SessionEventInput {
  const out = toProxyOutput(decision, { tracePath });
  const invariants = safetyInvariantsOf(ctx.jobRecord(decision.intent.context.jobId));
  const relationship = out['relationship'];
  return {
    intentId: '',
    toolName: text(out['tool_name']),
    intentDigest: text(out['intent_digest']),
    policyDigest: text(out['policy_digest']),
    policyId: text(out['policy_id']),
    policyVersion: text(out['policy_version']),
    matchedRuleIds: stringList(out['matched_rule_ids']),
    traceId: text(out['trace_id']),
    tracePath,
    verdict: text(out['verdict']),
    reasonCodes: stringList(out['reason_codes']),
    violations: stringList(out['violations']),
    ...(relationship !== null && typeof relationship === 'object' && !Array.isArray(relationship) ? { relationship: relationship as JsonObject } : {}),
    safetyInvariantVersion: invariants.version,
    safetyInvariantHash: invariants.hash,
  };
}

function candidates(req: EvaluateRequest, sessionId: string, runId: string, dir: string): JournalCandidate[] {
  const base = sessionFileBase(sessionId);
  if (req.sessionJournal !== '') return [{ path: req.sessionJournal, checkpointBase: base }];
  const at = dir.replace(/[\\/]+$/, '');
  return [
    { path: `${at}/${journalFileName(base)}`, checkpointBase: base },
    // The other run's journal keeps its own checkpoint names, so neither chain's runpacks are overwritten.
    { path: `${at}/${journalFileName(base, runId)}`, checkpointBase: `${base}_${runId}` },
  ];
}

/**
 * Appends the decision to its session journal, when it has a session id.
 * @returns the warnings to add to the response ([] without a session id)
 * @throws HttpError 400 (a client journal of another session or run); GaitError `storage_io` (write
 *   failures, an existing checkpoint file, journals of other runs), `storage_contention`, `internal_failure`
 */
export async function recordServeSession(decision: ProxyDecision, req: EvaluateRequest, tracePath: string, ctx: SessionWriteContext): Promise<string[]> {
  const sessionId = trimSpec(req.sessionId) !== '' ? trimSpec(req.sessionId) : trimSpec(decision.intent.context.sessionId);
  if (sessionId === '') {
    // Never silently ignored: the fields only mean something for a decision with a session.
    const asked = [req.sessionJournal !== '' ? 'session_journal' : '', req.checkpointInterval > 0 ? 'checkpoint_interval' : ''].filter((f) => f !== '');
    return asked.length === 0 ? [] : [`session_ignored=${asked.join(',')}: the decision has no session id`];
  }
  const checkpointDue = req.checkpointInterval > 0;
  const result = await ctx.sessions.journals.append({
    cwd: ctx.cwd,
    sessionId,
    runId: decision.runId,
    journals: candidates(req, sessionId, decision.runId, ctx.sessions.dir),
    event: eventInput(decision, tracePath, ctx),
    clock: ctx.clock,
    producerVersion: ctx.producerVersion,
    ...(checkpointDue && ctx.runpackDir !== ''
      ? { checkpoint: { interval: req.checkpointInterval, runpackDir: ctx.runpackDir, signingKey: ctx.signingKey, ...(ctx.hostEnv === undefined ? {} : { hostEnv: ctx.hostEnv }) } }
      : {}),
  });
  if (result.kind === 'foreign') {
    const owner = `session \`${result.ownerSessionId}\` run \`${result.ownerRunId}\``;
    if (req.sessionJournal !== '') throw badRequest(`request.session_journal \`${result.journalPath}\` belongs to ${owner}`, 'input_path');
    throw new GaitError('storage_io', `cannot journal session \`${sessionId}\` run \`${decision.runId}\`: \`${result.journalPath}\` belongs to ${owner}`, {
      hint: 'use distinct session ids for distinct runs',
      details: { path: result.journalPath },
    });
  }
  if (req.sessionJournal === '') for (const f of result.sessionFiles) ctx.sessions.retention?.noteWritten(f.path, f.size);
  if (result.runpackFile !== undefined) ctx.runpackRetention?.noteWritten(result.runpackFile.path, result.runpackFile.size);
  const warnings = [...result.warnings, `session_journal=${result.journalPath} sequence=${result.sequence}`];
  if (result.checkpoint !== undefined) warnings.push(`session_checkpoint=${result.checkpoint.runpackPath} chain=${result.checkpoint.chainPath}`);
  else if (checkpointDue && ctx.runpackDir === '' && result.sequence % req.checkpointInterval === 0) warnings.push('session_checkpoint_skipped=server has no --runpack-dir');
  return warnings;
}
