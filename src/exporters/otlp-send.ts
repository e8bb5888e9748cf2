/**
 * One OTLP/HTTP POST over `node:http`/`node:https`, with a hard deadline. The exporter retries;
 * this only reports what happened.
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface OtlpRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface OtlpResponse {
  readonly status: number;
  /** the `Retry-After` header, '' when absent */
  readonly retryAfter: string;
  /** up to 64 KiB of the response body */
  readonly body: string;
}

/** Sends one request; resolves with the response, rejects on network errors and the deadline. */
export type OtlpSend = (request: OtlpRequest) => Promise<OtlpResponse>;

const MAX_RESPONSE_BYTES = 65_536;

/** An `OtlpSend` over node:http(s) using `agent` (keep-alive, one per exporter). */
export function createHttpSend(agents: { http: http.Agent; https: https.Agent }): OtlpSend {
  return (request) =>
    new Promise<OtlpResponse>((resolve, reject) => {
      const url = new URL(request.url);
      const secure = url.protocol === 'https:';
      const options: http.RequestOptions = {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(request.body.length) },
        agent: secure ? agents.https : agents.http,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      };
      const req = (secure ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          clearTimeout(deadline);
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : '',
            body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'),
          });
        });
        res.on('error', (err) => {
          clearTimeout(deadline);
          reject(err);
        });
      });
      const deadline = setTimeout(() => req.destroy(new Error(`timeout after ${request.timeoutMs} ms`)), request.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
      req.end(request.body);
    });
}
