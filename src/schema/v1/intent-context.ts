/**
 * `context` of an IntentRequest (gate.md §A3.1 table, §A3.2 step 7). Members not in the table are
 * ignored and never digested.
 */
import { GaitError } from '../../errors/error.js';
import type { ObjectReader } from './decode.js';
import { normalizeFreeObject } from './free-object.js';
import { normalizeAgentIdentity, normalizeSandbox, lowerEnum, nonNegativeInteger } from './intent-sandbox.js';
import { CREDENTIAL_ACCESS_TYPES, CREDENTIAL_SOURCES } from './intent-types.js';
import type { IntentContext } from './intent-types.js';
import type { JsonObject } from './json-types.js';
import { assertNoRawCredentials } from './raw-credentials.js';
import { isHex64, lowerSimple, normalizedList, trimSpec } from './text.js';

function intentError(message: string, path: string): GaitError {
  return new GaitError('input_intent', message, { details: { path } });
}

function requiredTrimmed(reader: ObjectReader, field: string): string {
  const value = trimSpec(reader.string(field));
  if (value === '') throw intentError(`${reader.pathOf(field)} is required`, reader.pathOf(field));
  return value;
}

/** `auth_context`: free object normalized like `args`, raw-credential check, empty → absent. */
function normalizeAuthContext(reader: ObjectReader): JsonObject | undefined {
  const raw = reader.rawObject('auth_context');
  if (raw === undefined) return undefined;
  const path = reader.pathOf('auth_context');
  const normalized = normalizeFreeObject(raw, path, `${path} contains empty key`);
  if (Object.keys(normalized).length === 0) return undefined;
  assertNoRawCredentials(path, normalized);
  return normalized;
}

function contextSetDigest(reader: ObjectReader): string {
  const digest = lowerSimple(trimSpec(reader.string('context_set_digest')));
  if (digest !== '' && !isHex64(digest)) {
    throw intentError('context.context_set_digest must be sha256 hex', reader.pathOf('context_set_digest'));
  }
  return digest;
}

function contextEvidenceMode(reader: ObjectReader): IntentContext['contextEvidenceMode'] {
  const mode = lowerSimple(trimSpec(reader.string('context_evidence_mode')));
  if (mode !== '' && mode !== 'best_effort' && mode !== 'required') {
    throw intentError('context.context_evidence_mode must be best_effort or required', reader.pathOf('context_evidence_mode'));
  }
  return mode;
}

function phase(reader: ObjectReader): IntentContext['phase'] {
  const value = lowerSimple(trimSpec(reader.string('phase')));
  if (value === '') return 'apply';
  if (value !== 'plan' && value !== 'apply') throw intentError('context.phase must be plan or apply', reader.pathOf('phase'));
  return value;
}

/**
 * Normalizes `context` (gate.md §A3.1); checks follow Gait v1's order so the first error reported matches.
 * @throws GaitError `input_intent` `context.identity is required` (likewise workspace, risk_class) and the member rules
 */
export function normalizeContext(reader: ObjectReader): IntentContext {
  const identity = requiredTrimmed(reader, 'identity');
  const workspace = requiredTrimmed(reader, 'workspace');
  const riskClass = lowerSimple(requiredTrimmed(reader, 'risk_class'));
  const authContext = normalizeAuthContext(reader);
  const sandbox = normalizeSandbox(reader.object('sandbox'));
  const agentIdentity = normalizeAgentIdentity(reader.object('agent_identity'));
  const credentialScopes = normalizedList(reader.stringArray('credential_scopes'));
  const setDigest = contextSetDigest(reader);
  const credentialTtlSeconds = nonNegativeInteger(reader, 'credential_ttl_seconds');
  const credentialSource = lowerEnum(reader, 'credential_source', CREDENTIAL_SOURCES);
  const credentialAccessType = lowerEnum(reader, 'credential_access_type', CREDENTIAL_ACCESS_TYPES);
  const evidenceMode = contextEvidenceMode(reader);
  const t = (field: string): string => trimSpec(reader.string(field));
  return {
    identity,
    workspace: workspace.replace(/\\/g, '/'),
    riskClass,
    phase: phase(reader),
    agentId: t('agent_id'),
    agentIdentity,
    runId: t('run_id'),
    workflowId: t('workflow_id'),
    repo: t('repo'),
    environment: t('environment'),
    jobId: t('job_id'),
    sessionId: t('session_id'),
    requestId: t('request_id'),
    credentialRef: t('credential_ref'),
    credentialIssuer: t('credential_issuer'),
    credentialSubject: t('credential_subject'),
    credentialOwner: t('credential_owner'),
    credentialTargetBinding: t('credential_target_binding'),
    credentialRunBinding: t('credential_run_binding'),
    credentialJobBinding: t('credential_job_binding'),
    credentialSource,
    credentialAccessType,
    credentialTtlSeconds,
    approvalRef: t('approval_ref'),
    wrkrInventoryRef: t('wrkr_inventory_ref'),
    agentActionBomRef: t('agent_action_bom_ref'),
    authContext,
    sandbox,
    credentialScopes,
    contextRefs: normalizedList(reader.stringArray('context_refs')),
    environmentFingerprint: t('environment_fingerprint'),
    contextSetDigest: setDigest,
    contextEvidenceMode: evidenceMode,
  };
}
