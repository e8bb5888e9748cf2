/**
 * `context.sandbox` and `context.agent_identity` of an IntentRequest (gate.md §A3.1, §A3.2 step 7), and
 * the shared UTC timestamp reading used by the intent normalizers.
 */
import { GaitError } from '../../errors/error.js';
import { compareTimestamps, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { ObjectReader } from './decode.js';
import type { AgentIdentity, SandboxContext } from './intent-types.js';
import { looksSecret } from './raw-credentials.js';
import { cleanPath, compareCodePoints, isHex64, lowerSimple, normalizedList, trimSpec } from './text.js';

function intentError(message: string, path: string): GaitError {
  return new GaitError('input_intent', message, { details: { path } });
}

/** A timestamp member converted to UTC; `null` when absent or the zero time (gate.md §A2). */
export function readUtcTimestamp(reader: ObjectReader, field: string): Timestamp | null {
  const ts = reader.timestamp(field);
  if (ts === undefined || isZeroTime(ts)) return null;
  return toUtc(ts);
}

/** Whether `a` is strictly after `b`. */
export function isAfter(a: Timestamp, b: Timestamp): boolean {
  return compareTimestamps(a, b) > 0;
}

/** A trimmed, lowercased enum member; '' when unset. @throws GaitError `input_intent` `<path> is unsupported: <v>` */
export function lowerEnum<T extends string>(reader: ObjectReader, field: string, allowed: readonly T[]): T | '' {
  const value = lowerSimple(trimSpec(reader.string(field)));
  if (value !== '' && !(allowed as readonly string[]).includes(value)) {
    throw intentError(`${reader.pathOf(field)} is unsupported: ${value}`, reader.pathOf(field));
  }
  return value as T | '';
}

/** An integer member ≥ 0; 0 when unset. @throws GaitError `input_intent` `<path> must be >= 0` */
export function nonNegativeInteger(reader: ObjectReader, field: string): number {
  const value = reader.integer(field);
  if (value < 0) throw intentError(`${reader.pathOf(field)} must be >= 0`, reader.pathOf(field));
  return value;
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const EVIDENCE_REF_PREFIXES = ['ref:', 'receipt:', 'proof:', 'sandbox:', 'sha256:'] as const;

function assertNoEnvAssignment(path: string, value: string): void {
  if (ENV_ASSIGNMENT.test(trimSpec(value))) {
    throw intentError(`${path} must not contain raw environment variable assignments`, path);
  }
}

/** Sandbox path list: trim, clean lexically, drop `.`, reject env assignments, de-duplicate, sort. */
function sandboxPaths(reader: ObjectReader, field: string): string[] {
  const out = new Set<string>();
  reader.stringArray(field).forEach((raw, i) => {
    const cleaned = cleanPath(trimSpec(raw));
    if (cleaned === '.') return;
    assertNoEnvAssignment(`${reader.pathOf(field)}[${i}]`, cleaned);
    out.add(cleaned);
  });
  return [...out].sort(compareCodePoints);
}

function evidenceRef(reader: ObjectReader): string {
  const ref = trimSpec(reader.string('evidence_ref'));
  const path = reader.pathOf('evidence_ref');
  if (ref === '') return ref;
  assertNoEnvAssignment(path, ref);
  const lower = lowerSimple(ref);
  if (EVIDENCE_REF_PREFIXES.some((prefix) => lower.startsWith(prefix))) return ref;
  if (looksSecret(ref)) {
    throw intentError(`${path} must not contain secret-like sandbox material; use sandbox evidence refs or digests instead`, path);
  }
  return ref;
}

/**
 * `context.sandbox` (gate.md §A3.1); undefined when absent or when every member is empty.
 * @throws GaitError `input_intent` for unsupported modes, negative timeout, env assignments, secret-like refs
 */
export function normalizeSandbox(reader: ObjectReader | undefined): SandboxContext | undefined {
  if (reader === undefined) return undefined;
  const networkMode = lowerEnum(reader, 'network_mode', ['disabled', 'egress_allowlist', 'full'] as const);
  const envExposureMode = lowerEnum(reader, 'env_exposure_mode', ['allowlist', 'full', 'none'] as const);
  const filesystemIsolation = lowerEnum(reader, 'filesystem_isolation', ['container', 'none', 'workspace'] as const);
  const userMode = lowerEnum(reader, 'user_mode', ['default', 'root', 'unprivileged'] as const);
  const timeoutSeconds = nonNegativeInteger(reader, 'timeout_seconds');
  const writablePaths = sandboxPaths(reader, 'writable_paths');
  const readOnlyRoots = sandboxPaths(reader, 'read_only_roots');
  const evidenceDigest = lowerSimple(trimSpec(reader.string('evidence_digest')));
  if (evidenceDigest !== '' && !isHex64(evidenceDigest)) {
    throw intentError(`${reader.pathOf('evidence_digest')} must be sha256 hex`, reader.pathOf('evidence_digest'));
  }
  const sandbox: SandboxContext = {
    networkMode,
    writablePaths,
    readOnlyRoots,
    envExposureMode,
    timeoutSeconds,
    filesystemIsolation,
    userMode,
    evidenceRef: evidenceRef(reader),
    evidenceDigest,
  };
  return isEmptySandbox(sandbox) ? undefined : sandbox;
}

function isEmptySandbox(s: SandboxContext): boolean {
  return (
    s.networkMode === '' && s.writablePaths.length === 0 && s.readOnlyRoots.length === 0 && s.envExposureMode === '' &&
    s.timeoutSeconds === 0 && s.filesystemIsolation === '' && s.userMode === '' && s.evidenceRef === '' && s.evidenceDigest === ''
  );
}

/**
 * `context.agent_identity` (gate.md §A3.1, §A3.2 step 7); a present object stays present even if empty.
 * @throws GaitError `input_intent` for a bad manifest digest or out-of-order timestamps
 */
export function normalizeAgentIdentity(reader: ObjectReader | undefined): AgentIdentity | undefined {
  if (reader === undefined) return undefined;
  const manifestDigest = lowerSimple(trimSpec(reader.string('manifest_digest')));
  if (manifestDigest !== '' && !isHex64(manifestDigest)) {
    throw intentError(`${reader.pathOf('manifest_digest')} must be sha256 hex`, reader.pathOf('manifest_digest'));
  }
  const issuedAt = readUtcTimestamp(reader, 'issued_at');
  const approvedAt = readUtcTimestamp(reader, 'approved_at');
  const expiresAt = readUtcTimestamp(reader, 'expires_at');
  if (issuedAt !== null && approvedAt !== null && isAfter(issuedAt, approvedAt)) {
    throw intentError(`${reader.pathOf('approved_at')} must be on or after issued_at`, reader.pathOf('approved_at'));
  }
  if (expiresAt !== null && issuedAt !== null && !isAfter(expiresAt, issuedAt)) {
    throw intentError(`${reader.pathOf('expires_at')} must be after issued_at`, reader.pathOf('expires_at'));
  }
  if (expiresAt !== null && approvedAt !== null && !isAfter(expiresAt, approvedAt)) {
    throw intentError(`${reader.pathOf('expires_at')} must be after approved_at`, reader.pathOf('expires_at'));
  }
  return {
    lifecycleStates: normalizedList(reader.stringArray('lifecycle_states')),
    owner: trimSpec(reader.string('owner')),
    manifestDigest,
    publisher: trimSpec(reader.string('publisher')),
    source: lowerSimple(trimSpec(reader.string('source'))),
    issuedAt,
    approvedAt,
    expiresAt,
    revoked: reader.boolean('revoked'),
  };
}
