/** Response builders of the decision service: JSON bodies, classified errors, the three decision framings (§5.4). */
import { errorResponse } from './http-errors.js';

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** The classified error response of any thrown value (`http-errors.ts`). */
export function errorOut(err: unknown): Response {
  const r = errorResponse(err);
  return json(r.status, r.body, { ...r.headers });
}

/** The evaluate endpoints: `/v1/evaluate`, `/v1/evaluate/sse`, `/v1/evaluate/stream`. */
export type Variant = 'json' | 'sse' | 'ndjson';

/** A decision in the endpoint's framing: one JSON body, one SSE `evaluate` event, or one NDJSON line. */
export function decisionResponse(variant: Variant, status: number, body: Record<string, unknown>): Response {
  const text = JSON.stringify(body);
  switch (variant) {
    case 'json':
      return new Response(text, { status, headers: { 'content-type': 'application/json' } });
    case 'sse':
      return new Response(`event: evaluate\ndata: ${text}\n\n`, {
        status,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
      });
    case 'ndjson':
      return new Response(`${text}\n`, { status, headers: { 'content-type': 'application/x-ndjson' } });
    default: {
      const never: never = variant;
      return never;
    }
  }
}
