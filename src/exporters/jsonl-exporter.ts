/**
 * File exporters: the decision log (`--export-log-out`, §6.1) and the OTEL-style JSONL
 * (`--export-otel-out`, §6.2), appended under the §6.3 discipline. `export()` writes synchronously
 * and never throws: a failure (a full disk, a busy lock) is counted, warned and returned. Service
 * events (`exportServiceEvent`, a rejected reload) go to the same file in the same format family.
 *
 * With `held` (long-running services, ADR 0012 "Journals and exports") the exporter keeps the file's
 * lock while events keep coming (`HeldJsonlFile`): a line is one write, fsynced in batches by the
 * exporter's own writer. An event is `written` at once when the lock is held or free; when another
 * process holds it, the event is `queued` and written in order once the lock is taken (a failure is
 * then counted and warned). At most `maxQueued` lines (default 10,000) wait: past it an event is
 * `dropped` (counted in `dropped`, warned), so a lock held elsewhere never grows memory without bound
 * and never blocks a decision. `flush()` waits for queued lines, `close()` also fsyncs and releases.
 */
import { GaitError } from '../errors/error.js';
import { toDecisionLogJson } from './decision-event.js';
import { DurableWriter } from '../storage/durable-writer.js';
import { appendJsonlLine, HeldJsonlFile } from './jsonl-append.js';
import type { AppendOptions, AppendResult } from './jsonl-append.js';
import { toOtelStyleLine } from './otel-attributes.js';
import { toOtelStyleServiceLine } from './otel-service-event.js';
import { redactErrorText } from './redact.js';
import { toServiceLogJson } from './service-event.js';
import type { DecisionEvent, DecisionExporter, ExportOutcome, ExportStats, ServiceEvent, WarningSink } from './types.js';

export interface JsonlExporterOptions extends AppendOptions {
  readonly path: string;
  /** `log` = §6.1 decision events, `otel` = §6.2 OTEL-style lines */
  readonly format: 'log' | 'otel';
  /** exporter name in warnings; default the format */
  readonly name?: string;
  readonly onWarning?: WarningSink;
  /** keep the lock while events keep coming; fsync `batched` (every `intervalMs`, default 100 ms) or `never` */
  readonly held?: { readonly sync: 'batched' | 'never'; readonly intervalMs?: number; readonly maxQueued?: number };
}

/** Lines a held exporter keeps waiting for a lock held by another process, before it drops events. */
export const DEFAULT_MAX_QUEUED_LINES = 10_000;

/** Renders one event in a file format (one line, no newline). */
export function renderJsonlLine(event: DecisionEvent, format: 'log' | 'otel'): string {
  return format === 'log' ? JSON.stringify(toDecisionLogJson(event)) : toOtelStyleLine(event);
}

/** Renders one service event in a file format (one line, no newline). */
export function renderServiceJsonlLine(event: ServiceEvent, format: 'log' | 'otel'): string {
  return format === 'log' ? JSON.stringify(toServiceLogJson(event)) : toOtelStyleServiceLine(event);
}

/**
 * A DecisionExporter appending to one JSONL file.
 * @example const log = createJsonlExporter({path: 'gait-out/mcp_events.jsonl', format: 'log'}); log.export(event);
 */
export function createJsonlExporter(options: JsonlExporterOptions): DecisionExporter {
  const name = options.name ?? options.format;
  let exported = 0;
  let failed = 0;
  let queued = 0;
  let dropped = 0;
  let lastError = '';
  const maxQueued = options.held?.maxQueued ?? DEFAULT_MAX_QUEUED_LINES;
  let closed = false;
  const inflight = new Set<Promise<void>>();
  const warn = options.onWarning ?? (() => undefined);
  const written = (result: AppendResult): ExportOutcome => {
    exported++;
    for (const w of result.warnings) warn({ exporter: name, kind: 'export_partial_line_terminated', message: `${w}: ${options.path}` });
    return { status: 'written', warnings: result.warnings };
  };
  const failure = (err: unknown): ExportOutcome => {
    failed++;
    lastError = redactErrorText(err instanceof Error ? err.message : String(err));
    warn({ exporter: name, kind: 'export_failed', message: `export_failed=${name}: ${lastError}` });
    return { status: 'failed', error: lastError, warnings: [] };
  };
  const held = heldFileOf(options, (path, message) => failure(new Error(`fsync of \`${path}\` failed: ${message}`)));
  const append = (render: () => string): ExportOutcome => {
    if (closed) return { status: 'failed', error: 'exporter closed', warnings: [] };
    try {
      if (held === undefined) return written(appendJsonlLine(options.path, render(), options));
      const line = render();
      const now = held.file.appendNow(line);
      if (now !== undefined) return written(now);
      // The lock is busy (another process) or a hold is ending: written in order once it is ours.
      if (queued >= maxQueued) {
        dropped++;
        const error = `${String(maxQueued)} lines wait for the lock of \`${options.path}\``;
        warn({ exporter: name, kind: 'export_dropped', message: `export_dropped=${name}: ${error}` });
        return { status: 'dropped', error, warnings: [] };
      }
      queued++;
      const done = held.file.append(line).then(
        (result) => void written(result),
        (err: unknown) => void failure(err),
      );
      inflight.add(done);
      void done.finally(() => {
        queued--;
        inflight.delete(done);
      });
      return { status: 'queued', warnings: [] };
    } catch (err) {
      return failure(err);
    }
  };
  return {
    name,
    export: (event: DecisionEvent): ExportOutcome => append(() => renderJsonlLine(event, options.format)),
    exportServiceEvent: (event: ServiceEvent): ExportOutcome => append(() => renderServiceJsonlLine(event, options.format)),
    flush: async () => {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    async close() {
      closed = true;
      if (held === undefined) return;
      while (inflight.size > 0) await Promise.all([...inflight]);
      await held.file.close();
      await held.writer.close();
    },
    stats(): ExportStats {
      return { exported, failed, dropped, queued, retries: 0, lastError };
    },
  };
}

/** The held file and its writer, when the exporter holds its lock. */
function heldFileOf(options: JsonlExporterOptions, onSyncError: (path: string, message: string) => void): { file: HeldJsonlFile; writer: DurableWriter } | undefined {
  if (options.held === undefined) return undefined;
  const writer = new DurableWriter({
    mode: options.held.sync,
    ...(options.held.intervalMs === undefined ? {} : { intervalMs: options.held.intervalMs }),
    onSyncError,
  });
  return { file: new HeldJsonlFile(options.path, { ...options, writer }), writer };
}

/** Re-throws an export failure outcome as `export_io` (for callers that must fail, e.g. `mcp proxy`). */
export function assertWritten(outcome: ExportOutcome, path: string): void {
  if (outcome.status === 'failed' || outcome.status === 'dropped') {
    throw new GaitError('export_io', outcome.error, { details: { path } });
  }
}
