/**
 * OTLP/HTTP exporter configuration (mcp-and-export.md §6.4) from flags and the standard
 * OpenTelemetry environment variables. Pure: the environment comes in as a value.
 *
 * Precedence per setting: flag > `OTEL_EXPORTER_OTLP_LOGS_*` > `OTEL_EXPORTER_OTLP_*` > default.
 * - endpoint: `--export-otlp-endpoint <base>` and `OTEL_EXPORTER_OTLP_ENDPOINT` are base URLs
 *   (`/v1/logs` is appended); `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` is used as is (OTel spec). Without the
 *   flag an endpoint variable enables the exporter unless `OTEL_LOGS_EXPORTER=none` or
 *   `OTEL_SDK_DISABLED=true`.
 * - headers: `--export-otlp-header name=value` (repeatable), `OTEL_EXPORTER_OTLP_[LOGS_]HEADERS`
 *   (`k=v,k2=v2`, values percent-decoded); a flag replaces an env header of the same name.
 * - timeout: `--export-otlp-timeout` (Go duration, default `5s`), `OTEL_EXPORTER_OTLP_[LOGS_]TIMEOUT` (ms).
 * - protocol: only `http/json`; an env protocol of `grpc`/`http/protobuf` without the flag is refused.
 * - compression: `OTEL_EXPORTER_OTLP_[LOGS_]COMPRESSION` `gzip` or `none`.
 */
import { GaitError } from '../errors/error.js';
import { parseDuration } from '../runtime/duration.js';
import { redactUrl } from './redact.js';

export interface OtlpConfig {
  /** the full logs URL, e.g. `http://127.0.0.1:4318/v1/logs` */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly compression: 'none' | 'gzip';
  /** where the endpoint came from: `flag`, or the env variable's name */
  readonly source: string;
}

export interface OtlpFlags {
  readonly endpoint?: string;
  /** `name=value` items */
  readonly headers?: readonly string[];
  /** Go duration, e.g. `5s`, `500ms` */
  readonly timeout?: string;
}

export const DEFAULT_OTLP_TIMEOUT_MS = 5000;
type Env = Readonly<Record<string, string | undefined>>;

function usage(message: string): GaitError {
  return new GaitError('input_usage', message);
}

function envValue(env: Env, name: string): string {
  return (env[`OTEL_EXPORTER_OTLP_LOGS_${name}`] ?? '').trim() || (env[`OTEL_EXPORTER_OTLP_${name}`] ?? '').trim();
}

/** `<base>/v1/logs` unless the URL already ends with it. */
function logsUrl(base: string, what: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw usage(`invalid ${what}: \`${redactUrl(base)}\` is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usage(`invalid ${what}: \`${redactUrl(base)}\` must use http or https`);
  }
  if (url.pathname.endsWith('/v1/logs')) return url.toString();
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/logs`;
  return url.toString();
}

function endpoint(flags: OtlpFlags, env: Env): { url: string; source: string } | undefined {
  const flag = (flags.endpoint ?? '').trim();
  if (flag !== '') return { url: logsUrl(flag, '--export-otlp-endpoint'), source: 'flag' };
  if ((env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true') return undefined;
  if ((env['OTEL_LOGS_EXPORTER'] ?? '').trim().toLowerCase() === 'none') return undefined;
  const logs = (env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'] ?? '').trim();
  if (logs !== '') {
    try {
      return { url: new URL(logs).toString(), source: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT' };
    } catch {
      throw usage(`invalid OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: \`${redactUrl(logs)}\` is not a URL`);
    }
  }
  const base = (env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '').trim();
  if (base !== '') return { url: logsUrl(base, 'OTEL_EXPORTER_OTLP_ENDPOINT'), source: 'OTEL_EXPORTER_OTLP_ENDPOINT' };
  return undefined;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function header(item: string, what: string): [string, string] {
  const eq = item.indexOf('=');
  const name = (eq < 0 ? item : item.slice(0, eq)).trim();
  if (eq < 0 || !HEADER_NAME.test(name)) throw usage(`invalid ${what}: expected name=value`);
  const value = item.slice(eq + 1).trim();
  if (/[\r\n\0]/.test(value)) throw usage(`invalid ${what} \`${name}\`: value contains a control character`);
  return [name.toLowerCase(), value];
}

function headers(flags: OtlpFlags, env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']) {
    for (const item of (env[name] ?? '').split(',')) {
      if (item.trim() === '') continue;
      const [key, raw] = header(item, name);
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        throw usage(`invalid ${name} \`${key}\`: bad percent-encoding`);
      }
      out[key] = value;
    }
  }
  for (const item of flags.headers ?? []) {
    const [key, value] = header(item, '--export-otlp-header');
    out[key] = value;
  }
  return out;
}

function timeoutMs(flags: OtlpFlags, env: Env): number {
  const flag = (flags.timeout ?? '').trim();
  if (flag !== '') {
    const ns = parseDuration(flag);
    if (!(ns > 0)) throw usage('--export-otlp-timeout must be > 0');
    return Math.max(1, Math.round(ns / 1e6));
  }
  const raw = envValue(env, 'TIMEOUT');
  if (raw === '') return DEFAULT_OTLP_TIMEOUT_MS;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms <= 0) throw usage(`invalid OTEL_EXPORTER_OTLP_TIMEOUT: \`${raw}\` (milliseconds > 0)`);
  return ms;
}

/**
 * Resolves the OTLP exporter configuration, or undefined when OTLP export is off.
 * @throws GaitError `input_usage` for a bad URL, header, timeout, protocol or compression
 * @example resolveOtlpConfig({endpoint: 'http://127.0.0.1:4318'}, {}).url // 'http://127.0.0.1:4318/v1/logs'
 */
export function resolveOtlpConfig(flags: OtlpFlags, env: Env): OtlpConfig | undefined {
  const target = endpoint(flags, env);
  if (target === undefined) return undefined;
  const protocol = envValue(env, 'PROTOCOL');
  if (target.source !== 'flag' && protocol !== '' && protocol !== 'http/json') {
    throw usage(`unsupported OTLP protocol \`${protocol}\`: gait exports OTLP logs as http/json`);
  }
  const compression = envValue(env, 'COMPRESSION').toLowerCase() || 'none';
  if (compression !== 'none' && compression !== 'gzip') {
    throw usage(`unsupported OTEL_EXPORTER_OTLP_COMPRESSION \`${compression}\`: use gzip or none`);
  }
  return { url: target.url, headers: headers(flags, env), timeoutMs: timeoutMs(flags, env), compression, source: target.source };
}
