/**
 * The OTLP/HTTP logs exporter (mcp-and-export.md §6.4): one log record per decision, JSON encoding,
 * batches of up to 512 records or 1 s, retry on network errors and 429/502/503/504 with exponential
 * backoff (1 s doubling to 30 s, `Retry-After` honoured, at most `maxRetries` retries), and a bounded
 * queue (2048 records, oldest dropped first). `export()` only enqueues: it never blocks or changes a
 * decision. Every drop and failure is counted in `stats()` and reported through `onWarning`. Service
 * events (`exportServiceEvent`: a rejected reload, severity WARN) share the queue and the batches.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import type { OtlpConfig } from './otlp-config.js';
import { createHttpSend } from './otlp-send.js';
import type { OtlpResponse, OtlpSend } from './otlp-send.js';
import { toOtlpLogRecord, toOtlpLogsRequest, unixNanos } from './otel-attributes.js';
import { toOtlpServiceLogRecord } from './otel-service-event.js';
import { redactErrorText, redactUrl } from './redact.js';
import type { DecisionEvent, DecisionExporter, ExportOutcome, ExportStats, ExportWarning, ServiceEvent, WarningSink } from './types.js';

export interface OtlpExporterOptions {
  readonly config: OtlpConfig;
  /** `service.version` and scope version: the CLI version */
  readonly serviceVersion: string;
  /** observed time of each record; default the system clock */
  readonly clock?: Clock;
  readonly onWarning?: WarningSink;
  /** default 2048 */
  readonly maxQueue?: number;
  /** default 512 */
  readonly maxBatch?: number;
  /** default 1000 ms; 0 = send at once */
  readonly batchDelayMs?: number;
  /** retries per batch after the first attempt; default 6 (1+2+4+8+16+30 s) */
  readonly maxRetries?: number;
  /** default 1000 / 30000 ms */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** how long `flush()`/`close()` wait at most; default timeout × (maxRetries + 1), at least 1 s */
  readonly flushTimeoutMs?: number;
  /** the transport (tests); default node:http(s) with a keep-alive agent */
  readonly send?: OtlpSend;
  readonly name?: string;
}

type Pending =
  | { readonly kind: 'decision'; readonly event: DecisionEvent; readonly observed: bigint }
  | { readonly kind: 'service'; readonly event: ServiceEvent; readonly observed: bigint };

function recordOf(p: Pending): JsonObject {
  return p.kind === 'decision' ? toOtlpLogRecord(p.event, p.observed) : toOtlpServiceLogRecord(p.event, p.observed);
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** `Retry-After` as ms: delta-seconds or an HTTP date; undefined when absent or unparsable. */
export function retryAfterMs(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function rejectedCount(body: string): number {
  try {
    const parsed = JSON.parse(body) as { partialSuccess?: { rejectedLogRecords?: unknown } };
    const n = Number(parsed.partialSuccess?.rejectedLogRecords ?? 0);
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

class OtlpHttpExporter implements DecisionExporter {
  readonly name: string;
  private readonly queue: Pending[] = [];
  private readonly o: Required<Omit<OtlpExporterOptions, 'onWarning' | 'send' | 'name' | 'clock'>> & { clock: Clock };
  private readonly send: OtlpSend;
  private readonly agents: { http: http.Agent; https: https.Agent } | undefined;
  private readonly warnSink: WarningSink;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private closed = false;
  private exported = 0;
  private failed = 0;
  private dropped = 0;
  private retries = 0;
  private lastError = '';
  private nextDropWarning = 1;

  constructor(options: OtlpExporterOptions) {
    this.name = options.name ?? 'otlp';
    const maxRetries = options.maxRetries ?? 6;
    this.o = {
      config: options.config,
      serviceVersion: options.serviceVersion,
      clock: options.clock ?? systemClock,
      maxQueue: options.maxQueue ?? 2048,
      maxBatch: options.maxBatch ?? 512,
      batchDelayMs: options.batchDelayMs ?? 1000,
      maxRetries,
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      flushTimeoutMs: options.flushTimeoutMs ?? Math.max(1000, options.config.timeoutMs * (maxRetries + 1)),
    };
    this.warnSink = options.onWarning ?? (() => undefined);
    if (options.send === undefined) {
      this.agents = { http: new http.Agent({ keepAlive: true, maxSockets: 2 }), https: new https.Agent({ keepAlive: true, maxSockets: 2 }) };
      this.send = createHttpSend(this.agents);
    } else {
      this.agents = undefined;
      this.send = options.send;
    }
  }

  export(event: DecisionEvent): ExportOutcome {
    if (this.closed) return { status: 'failed', error: 'exporter closed', warnings: [] };
    return this.enqueue({ kind: 'decision', event, observed: unixNanos(this.o.clock.now()) });
  }

  exportServiceEvent(event: ServiceEvent): ExportOutcome {
    if (this.closed) return { status: 'failed', error: 'exporter closed', warnings: [] };
    return this.enqueue({ kind: 'service', event, observed: unixNanos(this.o.clock.now()) });
  }

  private enqueue(pending: Pending): ExportOutcome {
    this.queue.push(pending);
    const warnings: string[] = [];
    if (this.queue.length > this.o.maxQueue) {
      this.queue.shift(); // oldest first (§6.4)
      this.dropped++;
      const message = `export_dropped=${this.name}: queue full (${this.o.maxQueue} records), ${this.dropped} event(s) dropped so far`;
      warnings.push(message);
      // Counted always; warned at 1, 2, 4, 8, … drops so a dead endpoint cannot flood the log.
      if (this.dropped >= this.nextDropWarning) {
        this.nextDropWarning *= 2;
        this.warn('export_dropped', message);
      }
    }
    if (this.queue.length >= this.o.maxBatch || this.o.batchDelayMs === 0) {
      this.kick();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, this.o.batchDelayMs);
      this.timer.unref();
    }
    return { status: 'queued', warnings };
  }

  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Holds the event loop open while we wait (the retry timers are unref'd).
    const keepAlive = setInterval(() => undefined, 60_000);
    let deadline: NodeJS.Timeout | undefined;
    try {
      const drained = (async () => {
        while ((this.queue.length > 0 || this.inflight !== undefined) && !this.abort.signal.aborted) {
          this.kick();
          await this.inflight;
        }
      })();
      const timedOut = new Promise<void>((resolve) => {
        deadline = setTimeout(resolve, this.o.flushTimeoutMs);
      });
      await Promise.race([drained, timedOut]);
    } finally {
      clearInterval(keepAlive);
      if (deadline !== undefined) clearTimeout(deadline);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    const left = this.queue.length;
    this.queue.length = 0;
    this.abort.abort();
    // The batch in flight (if any) ends at once now: its sleep and request are aborted, and it counts itself.
    await this.inflight;
    if (left > 0) {
      this.failed += left;
      this.warn('export_failed', `export_failed=${this.name}: ${left} event(s) not delivered before close`);
    }
    this.agents?.http.destroy();
    this.agents?.https.destroy();
  }

  stats(): ExportStats {
    return {
      exported: this.exported,
      failed: this.failed,
      dropped: this.dropped,
      queued: this.queue.length,
      retries: this.retries,
      lastError: this.lastError,
    };
  }

  private warn(kind: ExportWarning['kind'], message: string): void {
    try {
      this.warnSink({ exporter: this.name, kind, message });
    } catch {
      // a failing warning sink must not break the exporter
    }
  }

  private kick(): void {
    if (this.inflight !== undefined || this.queue.length === 0) return;
    this.inflight = this.pump().finally(() => {
      this.inflight = undefined;
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const batch = this.queue.splice(0, this.o.maxBatch);
      await this.deliver(batch);
    }
  }

  private body(batch: readonly Pending[]): Uint8Array {
    const records: JsonObject[] = batch.map(recordOf);
    const json = Buffer.from(JSON.stringify(toOtlpLogsRequest(records, this.o.serviceVersion)), 'utf8');
    return this.o.config.compression === 'gzip' ? gzipSync(json) : json;
  }

  private headers(): Record<string, string> {
    return {
      ...this.o.config.headers,
      'content-type': 'application/json',
      ...(this.o.config.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    };
  }

  private async deliver(batch: readonly Pending[]): Promise<void> {
    const body = this.body(batch);
    let backoff = this.o.initialBackoffMs;
    for (let attempt = 0; ; attempt++) {
      let response: OtlpResponse | undefined;
      let error = '';
      try {
        response = await this.send({
          url: this.o.config.url,
          headers: this.headers(),
          body,
          timeoutMs: this.o.config.timeoutMs,
          signal: this.abort.signal,
        });
      } catch (err) {
        error = redactErrorText(err instanceof Error ? err.message : String(err));
      }
      if (response !== undefined && response.status >= 200 && response.status < 300) {
        this.accept(batch.length, rejectedCount(response.body));
        return;
      }
      const retryable = response === undefined || RETRYABLE_STATUS.has(response.status);
      const reason = response === undefined ? error : `HTTP ${response.status}`;
      if (!retryable || attempt >= this.o.maxRetries || this.abort.signal.aborted) {
        this.fail(batch.length, `${reason} from ${redactUrl(this.o.config.url)}${attempt > 0 ? ` after ${attempt + 1} attempts` : ''}`);
        return;
      }
      this.retries++;
      const wait = Math.min(this.o.maxBackoffMs, retryAfterMs(response?.retryAfter ?? '', Date.now()) ?? backoff);
      this.warn('export_retry', `export_retry=${this.name}: ${reason}; retrying ${batch.length} record(s) in ${wait} ms`);
      await this.sleep(wait);
      backoff = Math.min(this.o.maxBackoffMs, backoff * 2);
    }
  }

  private accept(count: number, rejected: number): void {
    this.exported += count - Math.min(count, rejected);
    if (rejected > 0) this.fail(Math.min(count, rejected), `receiver rejected ${rejected} record(s)`);
  }

  private fail(count: number, reason: string): void {
    this.failed += count;
    this.lastError = reason;
    this.warn('export_failed', `export_failed=${this.name}: ${reason}; ${count} event(s) lost`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) {
        resolve();
        return;
      }
      const t = setTimeout(done, ms);
      t.unref();
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * Creates an OTLP/HTTP logs exporter.
 * @example const otlp = createOtlpExporter({config: resolveOtlpConfig({endpoint: 'http://127.0.0.1:4318'}, process.env)!, serviceVersion: '0.1.0'});
 */
export function createOtlpExporter(options: OtlpExporterOptions): DecisionExporter {
  return new OtlpHttpExporter(options);
}
