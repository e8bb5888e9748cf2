/**
 * The evaluate request (mcp-and-export.md §5.5): content type, body cap, strict decoding of exactly
 * one JSON object with unknown members rejected (names matched case-insensitively, gate.md §A1.4).
 * Extension: `intent` (a ready IntentRequest) instead of `call`, for callers that build intents
 * themselves; exactly one of the two.
 */
import { ObjectReader, foldMemberName, isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { trimSpec } from '../../schema/v1/text.js';
import { assertRunIdUsable } from '../mcp/proxy.js';
import { HttpError, badRequest } from './http-errors.js';

export interface EvaluateRequest {
  readonly adapter: string;
  /** the tool-call payload; undefined in intent mode */
  readonly call: JsonObject | undefined;
  /** the IntentRequest (extension); undefined in call mode */
  readonly intent: JsonObject | undefined;
  readonly runId: string;
  readonly sessionId: string;
  readonly sessionJournal: string;
  readonly checkpointInterval: number;
  readonly tracePath: string;
  readonly runpackOut: string;
  readonly emitRunpack: boolean;
  readonly packOut: string;
  readonly emitPack: boolean;
}

const MEMBERS = new Set([
  'adapter',
  'call',
  'intent',
  'run_id',
  'session_id',
  'session_journal',
  'checkpoint_interval',
  'trace_path',
  'runpack_out',
  'emit_runpack',
  'pack_out',
  'emit_pack',
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A minimal RFC 9110 media-type parser: `type/subtype *( ; name=token|quoted-string )`. */
function mediaTypeOf(header: string): string | undefined {
  const parts = header.split(';');
  const type = (parts[0] ?? '').trim().toLowerCase();
  const slash = type.indexOf('/');
  if (slash <= 0 || !TOKEN.test(type.slice(0, slash)) || !TOKEN.test(type.slice(slash + 1))) return undefined;
  for (const raw of parts.slice(1)) {
    const param = raw.trim();
    if (param === '') continue;
    const eq = param.indexOf('=');
    if (eq <= 0 || !TOKEN.test(param.slice(0, eq).trim())) return undefined;
    const value = param.slice(eq + 1).trim();
    if (!TOKEN.test(value) && !/^"(?:[^"\\]|\\.)*"$/.test(value)) return undefined;
  }
  return type;
}

/**
 * §5.5: empty or `application/json` (parameters allowed).
 * @throws HttpError 415 `invalid content-type header` / `content-type must be application/json`
 */
export function checkContentType(header: string | null): void {
  if (header === null || header.trim() === '') return;
  const type = mediaTypeOf(header);
  const invalid = { error_category: 'invalid_input', error_reason: 'input_content_type', retryable: false, exit_code: 6 };
  if (type === undefined) throw new HttpError(415, 'invalid_input', 'invalid content-type header', { extra: invalid });
  if (type !== 'application/json') throw new HttpError(415, 'invalid_input', 'content-type must be application/json', { extra: invalid });
}

function tooLarge(): HttpError {
  return new HttpError(413, 'invalid_input', 'request body exceeds max-request-bytes', {
    extra: { error_category: 'invalid_input', error_reason: 'input_too_large', retryable: false, exit_code: 6 },
  });
}

/**
 * Reads the request body, refusing it as soon as it exceeds `maxBytes` (a declared length is
 * checked before reading).
 * @throws HttpError 413
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (declared !== null) {
    // The HTTP parser delivers exactly the declared length, so a whole-body read is bounded; on
    // @hono/node-server it also skips building a web stream for the body.
    const whole = new Uint8Array(await request.arrayBuffer());
    if (whole.byteLength > maxBytes) throw tooLarge();
    return whole;
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  return Buffer.concat(chunks, total);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseSingleObject(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw badRequest('decode request: body is not valid UTF-8', 'input_encoding');
  }
  if (text.trim() === '') throw badRequest('decode request: empty body', 'input_json');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A complete first value followed by more text (Go's decoder: a second Decode that is not EOF).
    if (message.startsWith('Unexpected non-whitespace character after JSON')) throw badRequest('request body must contain a single JSON object', 'input_json');
    throw badRequest(`decode request: ${message.replace(/\s+/g, ' ')}`, 'input_json');
  }
}

function optionalObject(r: ObjectReader, field: string): JsonObject | undefined {
  const value = r.get(field);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) throw badRequest(`decode request: ${field} must be an object`);
  return value;
}

function decodeMembers(r: ObjectReader): EvaluateRequest {
  return {
    adapter: trimSpec(r.string('adapter')),
    call: optionalObject(r, 'call'),
    intent: optionalObject(r, 'intent'),
    runId: r.string('run_id'),
    sessionId: r.string('session_id'),
    sessionJournal: trimSpec(r.string('session_journal')),
    checkpointInterval: r.integer('checkpoint_interval'),
    tracePath: trimSpec(r.string('trace_path')),
    runpackOut: trimSpec(r.string('runpack_out')),
    emitRunpack: r.boolean('emit_runpack'),
    packOut: trimSpec(r.string('pack_out')),
    emitPack: r.boolean('emit_pack'),
  };
}

/**
 * A `run_id` that normalizes to nothing (§4 step 10: `///` → '') is refused before anything is
 * evaluated or written; a blank one means "not given" (the call's or the derived run id is used).
 * @throws HttpError 400 ``request.run_id `///` normalizes to an empty run id``
 */
function refuseEmptyRunId(runId: string): void {
  try {
    assertRunIdUsable(runId, 'request.run_id');
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err), 'input_usage');
  }
}

/**
 * Decodes the request body (§5.5).
 * @throws HttpError 400 `decode request: …`, `request body must contain a single JSON object`,
 *   `request.call is required`, ``request.run_id `…` normalizes to an empty run id``
 */
export function parseEvaluateRequest(bytes: Uint8Array): EvaluateRequest {
  const raw = parseSingleObject(bytes);
  if (!isJsonObject(raw)) throw badRequest('decode request: request must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (!MEMBERS.has(foldMemberName(key))) throw badRequest(`decode request: unknown field "${key}"`);
  }
  let decoded: EvaluateRequest;
  try {
    decoded = decodeMembers(ObjectReader.of(raw, '', 'input_usage'));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw badRequest(`decode request: ${err instanceof Error ? err.message : String(err)}`);
  }
  const hasCall = decoded.call !== undefined && Object.keys(decoded.call).length > 0;
  const hasIntent = decoded.intent !== undefined && Object.keys(decoded.intent).length > 0;
  if (hasCall && hasIntent) throw badRequest('request must contain either call or intent, not both');
  if (!hasCall && !hasIntent) throw badRequest('request.call is required');
  refuseEmptyRunId(decoded.runId);
  refuseUnusableNames(decoded);
  return decoded;
}

/** The longest `run_id` / `session_id` accepted: both become file names (traces, journals). */
export const MAX_ID_BYTES = 128;

/**
 * Ids that name files are refused up front (400) instead of failing the write after the trace
 * (500): control characters, more than `MAX_ID_BYTES` bytes. A negative `checkpoint_interval` is
 * refused rather than read as 0.
 * @throws HttpError 400
 */
function refuseUnusableNames(req: EvaluateRequest): void {
  for (const [field, value] of [
    ['run_id', req.runId],
    ['session_id', req.sessionId],
  ] as const) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw badRequest(`request.${field} must not contain control characters`, 'input_usage');
    if (Buffer.byteLength(value, 'utf8') > MAX_ID_BYTES) throw badRequest(`request.${field} is longer than ${MAX_ID_BYTES} bytes`, 'input_usage');
  }
  if (req.checkpointInterval < 0) throw badRequest('request.checkpoint_interval must be >= 0', 'input_usage');
}
