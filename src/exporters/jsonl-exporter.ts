/**
 * File exporters: the decision log (`--export-log-out`, §6.1) and the OTEL-style JSONL
 * (`--export-otel-out`, §6.2), appended under the §6.3 discipline. `export()` writes synchronously
 * and never throws: a failure (a full disk, a busy lock) is counted, warned and returned. Service
 * events (`exportServiceEvent`, a rejected reload) go to the same file in the same format family.
 */
import { GaitError } from '../errors/error.js';
import { toDecisionLogJson } from './decision-event.js';
import { appendJsonlLine } from './jsonl-append.js';
import type { AppendOptions } from './jsonl-append.js';
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
}

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
  let lastError = '';
  let closed = false;
  const warn = options.onWarning ?? (() => undefined);
  const append = (render: () => string): ExportOutcome => {
    if (closed) return { status: 'failed', error: 'exporter closed', warnings: [] };
    try {
      const result = appendJsonlLine(options.path, render(), options);
      exported++;
      for (const w of result.warnings) warn({ exporter: name, kind: 'export_partial_line_terminated', message: `${w}: ${options.path}` });
      return { status: 'written', warnings: result.warnings };
    } catch (err) {
      failed++;
      lastError = redactErrorText(err instanceof Error ? err.message : String(err));
      warn({ exporter: name, kind: 'export_failed', message: `export_failed=${name}: ${lastError}` });
      return { status: 'failed', error: lastError, warnings: [] };
    }
  };
  return {
    name,
    export: (event: DecisionEvent): ExportOutcome => append(() => renderJsonlLine(event, options.format)),
    exportServiceEvent: (event: ServiceEvent): ExportOutcome => append(() => renderServiceJsonlLine(event, options.format)),
    flush: () => Promise.resolve(),
    close() {
      closed = true;
      return Promise.resolve();
    },
    stats(): ExportStats {
      return { exported, failed, dropped: 0, queued: 0, retries: 0, lastError };
    },
  };
}

/** Re-throws an export failure outcome as `export_io` (for callers that must fail, e.g. `mcp proxy`). */
export function assertWritten(outcome: ExportOutcome, path: string): void {
  if (outcome.status === 'failed' || outcome.status === 'dropped') {
    throw new GaitError('export_io', outcome.error, { details: { path } });
  }
}
