/**
 * A real OTLP/HTTP logs receiver for tests: a node:http server on loopback that decodes the OTLP JSON
 * it receives (gzip included) and answers with scripted statuses.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: OtlpLogsBody;
}

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
}

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: OtlpAnyValue;
  attributes: { key: string; value: OtlpAnyValue }[];
  traceId?: string;
  spanId?: string;
}

export interface OtlpLogsBody {
  resourceLogs: {
    resource: { attributes: { key: string; value: OtlpAnyValue }[] };
    scopeLogs: { scope: { name: string; version: string }; logRecords: OtlpLogRecord[] }[];
  }[];
}

/** `respond` decides per request: status and headers, or `hang` (never answer). */
export type Responder = (index: number) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** every log record received, flattened */
  records(): OtlpLogRecord[];
  close(): Promise<void>;
}

export function attributesOf(record: OtlpLogRecord): Record<string, OtlpAnyValue> {
  return Object.fromEntries(record.attributes.map((a) => [a.key, a.value]));
}

export async function startReceiver(respond: Responder = () => ({ status: 200, body: '{}' })): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const hanging: ServerResponse[] = [];
  let index = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      const answer = respond(index++);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: JSON.parse(text) as OtlpLogsBody });
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    records: () => requests.flatMap((r) => r.body.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (an endpoint that is down). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
