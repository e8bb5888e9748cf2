/**
 * The OAuth evidence check of `mcp proxy`/`mcp serve` (mcp-and-export.md §4 step 4). Pure.
 */
import { parseTimestamp } from '../../../runtime/timestamp.js';
import { isJsonObject } from '../decode.js';
import type { JsonObject } from '../json-types.js';
import { lowerSimple, trimSpec } from '../text.js';
import { toolCallError } from './errors.js';
import type { OAuthEvidence, ToolCallContext } from './types.js';

export const AUTH_MODES = ['off', 'none', 'token', 'oauth', 'oauth_dcr'] as const;
export type AuthMode = (typeof AUTH_MODES)[number] | '';

/**
 * §4 step 4: `context.auth_mode`, else a string `auth_context.oauth_mode`, else `oauth` when
 * `oauth_evidence` is present, else '' (none).
 * @throws GaitError `input_tool_call` `context.auth_mode must be one of off|none|token|oauth|oauth_dcr`
 */
export function resolveAuthMode(context: ToolCallContext): AuthMode {
  let mode = lowerSimple(trimSpec(context.authMode));
  const fromAuthContext = context.authContext?.['oauth_mode'];
  if (mode === '' && typeof fromAuthContext === 'string') mode = lowerSimple(trimSpec(fromAuthContext));
  if (mode === '' && context.oauthEvidence !== undefined) mode = 'oauth';
  if (mode === '') return '';
  if (!(AUTH_MODES as readonly string[]).includes(mode)) {
    throw toolCallError('context.auth_mode must be one of off|none|token|oauth|oauth_dcr', 'context.auth_mode');
  }
  return mode as AuthMode;
}

function fromEvidence(e: OAuthEvidence): Record<string, string | readonly string[]> {
  return {
    issuer: e.issuer,
    audience: e.audience,
    subject: e.subject,
    client_id: e.clientId,
    token_type: e.tokenType,
    scopes: e.scopes,
    redirect_uri: e.redirectUri,
    evidence_ref: e.evidenceRef,
    auth_time: e.authTime,
    dcr_client_id: e.dcrClientId,
    token_binding: e.tokenBinding,
  };
}

function fromObject(o: JsonObject): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [key, value] of Object.entries(o)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

function present(value: string | readonly string[] | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return trimSpec(value) !== '';
  return value.some((v) => trimSpec(v) !== '');
}

const REQUIRED = ['issuer', 'audience', 'subject', 'client_id', 'token_type', 'scopes', 'redirect_uri', 'evidence_ref', 'auth_time'] as const;
const REQUIRED_DCR = ['dcr_client_id', 'token_binding'] as const;

/**
 * §4 step 4 under `oss-prod` with `oauth`/`oauth_dcr`: the evidence (from `oauth_evidence`, else
 * `auth_context.oauth_evidence`) must carry every required field and an RFC 3339 `auth_time`.
 * Other profiles and modes pass.
 * @throws GaitError `input_tool_call` `missing OAuth evidence fields: a, b`,
 *   `context.oauth_evidence.auth_time must be RFC3339`, and the auth-mode error of `resolveAuthMode`
 */
export function assertOAuthEvidence(context: ToolCallContext, profile: 'standard' | 'oss-prod'): AuthMode {
  const mode = resolveAuthMode(context);
  if (profile !== 'oss-prod' || (mode !== 'oauth' && mode !== 'oauth_dcr')) return mode;
  const nested = context.authContext?.['oauth_evidence'];
  const evidence =
    context.oauthEvidence !== undefined ? fromEvidence(context.oauthEvidence) : isJsonObject(nested) ? fromObject(nested) : {};
  const required = mode === 'oauth_dcr' ? [...REQUIRED, ...REQUIRED_DCR] : [...REQUIRED];
  const missing = required.filter((field) => !present(evidence[field]));
  if (missing.length > 0) throw toolCallError(`missing OAuth evidence fields: ${missing.join(', ')}`, 'context.oauth_evidence');
  const authTime = evidence['auth_time'];
  try {
    parseTimestamp(trimSpec(typeof authTime === 'string' ? authTime : ''));
  } catch (cause) {
    throw toolCallError('context.oauth_evidence.auth_time must be RFC3339', 'context.oauth_evidence.auth_time', cause);
  }
  return mode;
}
