/**
 * The `--export-*` flags of mcp-and-export.md §6 (shared by `mcp proxy` and `mcp serve`) and the
 * exporters they configure.
 */
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { createJsonlExporter } from '../../../exporters/jsonl-exporter.js';
import type { JsonlExporterOptions } from '../../../exporters/jsonl-exporter.js';
import { resolveOtlpConfig } from '../../../exporters/otlp-config.js';
import type { OtlpConfig } from '../../../exporters/otlp-config.js';
import { createOtlpExporter } from '../../../exporters/otlp-http.js';
import type { DecisionExporter, WarningSink } from '../../../exporters/types.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { assertSafeRelativePath } from '../../../storage/atomic-write.js';
import type { CommandContext, OptionSpec } from '../command.js';
import { optBool, optString, optStrings } from '../command.js';

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--export-log-out <path>', description: 'append one decision event per decision (JSONL, §6.1)' },
  { flags: '--export-otel-out <path>', description: 'append one OTEL-style log line per decision (JSONL, §6.2)' },
  { flags: '--export-otlp-endpoint <url>', description: 'send OTLP/HTTP JSON logs to <url>/v1/logs (also OTEL_EXPORTER_OTLP_[LOGS_]ENDPOINT)' },
  { flags: '--export-otlp-header <name=value>', description: 'extra OTLP request header (repeatable; also OTEL_EXPORTER_OTLP_HEADERS)', repeatable: true },
  { flags: '--export-otlp-timeout <duration>', description: 'OTLP request timeout (default 5s; also OTEL_EXPORTER_OTLP_TIMEOUT in ms)' },
  { flags: '--export-max-bytes <n>', description: 'rotate a JSONL export before it would exceed n bytes (0 = off)' },
  { flags: '--export-max-files <k>', description: 'keep the k newest rotated JSONL exports (0 = all)' },
  { flags: '--export-include-args', description: 'opt in: include the normalized tool arguments (redacted) in exported events' },
];

export interface ExportSettings {
  readonly logOut: string;
  readonly otelOut: string;
  readonly otlp: OtlpConfig | undefined;
  readonly maxBytes: number;
  readonly maxFiles: number;
  readonly includeArgs: boolean;
}

function nonNegative(ctx: CommandContext, name: string, flag: string): number {
  const raw = optString(ctx, name).trim();
  if (raw === '') return 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new GaitError('input_usage', `invalid ${flag} \`${raw}\`: expected an integer >= 0`);
  return n;
}

/**
 * Reads and validates the export flags (and the OTLP environment variables).
 * @throws GaitError `input_usage`, `input_path` (a relative export path with `..`)
 */
export function readExportSettings(ctx: CommandContext): ExportSettings {
  const logOut = optString(ctx, 'exportLogOut').trim();
  const otelOut = optString(ctx, 'exportOtelOut').trim();
  if (logOut !== '') assertSafeRelativePath(logOut, 'export');
  if (otelOut !== '') assertSafeRelativePath(otelOut, 'export');
  const otlp = resolveOtlpConfig(
    { endpoint: optString(ctx, 'exportOtlpEndpoint'), headers: optStrings(ctx, 'exportOtlpHeader'), timeout: optString(ctx, 'exportOtlpTimeout') },
    ctx.io.env,
  );
  return {
    logOut,
    otelOut,
    otlp,
    maxBytes: nonNegative(ctx, 'exportMaxBytes', '--export-max-bytes'),
    maxFiles: nonNegative(ctx, 'exportMaxFiles', '--export-max-files'),
    includeArgs: optBool(ctx, 'exportIncludeArgs'),
  };
}

export interface BuiltExporters {
  readonly log: DecisionExporter | undefined;
  readonly otel: DecisionExporter | undefined;
  readonly otlp: DecisionExporter | undefined;
}

/**
 * The exporters of the settings. `oneShot` (mcp proxy): OTLP sends once, at once, within the timeout
 * (§6.4 "`mcp proxy` sends synchronously once"); otherwise batching and retries apply. `held`
 * (`mcp serve` with `--trace-sync batched|never`): the JSONL exporters keep their file's lock while
 * events keep coming and fsync with that durability (ADR 0012).
 */
export function buildExporters(settings: ExportSettings, ctx: CommandContext, onWarning: WarningSink, oneShot: boolean, held?: JsonlExporterOptions['held']): BuiltExporters {
  const now = (): ReturnType<typeof ctx.io.clock.now> => ctx.io.clock.now();
  const file = (path: string, format: 'log' | 'otel'): DecisionExporter =>
    createJsonlExporter({ path: resolve(ctx.io.cwd, path), format, maxBytes: settings.maxBytes, maxFiles: settings.maxFiles, now, onWarning, ...(held === undefined ? {} : { held }) });
  return {
    log: settings.logOut === '' ? undefined : file(settings.logOut, 'log'),
    otel: settings.otelOut === '' ? undefined : file(settings.otelOut, 'otel'),
    otlp:
      settings.otlp === undefined
        ? undefined
        : createOtlpExporter({
            config: settings.otlp,
            serviceVersion: GAIT_VERSION,
            clock: ctx.io.clock,
            onWarning,
            ...(oneShot ? { maxRetries: 0, batchDelayMs: 0, flushTimeoutMs: settings.otlp.timeoutMs + 250 } : {}),
          }),
  };
}
