/**
 * OTLP exporter configuration from flags and the standard OTEL_EXPORTER_OTLP_* variables (§6.4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOtlpConfig } from '../../../src/exporters/otlp-config.js';

describe('resolveOtlpConfig()', () => {
  it('is off without a flag or an endpoint variable', () => {
    assert.equal(resolveOtlpConfig({}, {}), undefined);
    assert.equal(resolveOtlpConfig({ endpoint: '  ' }, { OTEL_EXPORTER_OTLP_HEADERS: 'a=b' }), undefined);
  });

  it('appends /v1/logs to the flag and to OTEL_EXPORTER_OTLP_ENDPOINT, not to the LOGS variable', () => {
    assert.equal(resolveOtlpConfig({ endpoint: 'http://127.0.0.1:4318' }, {})?.url, 'http://127.0.0.1:4318/v1/logs');
    assert.equal(resolveOtlpConfig({ endpoint: 'http://c:4318/base/' }, {})?.url, 'http://c:4318/base/v1/logs');
    assert.equal(resolveOtlpConfig({ endpoint: 'https://c/v1/logs' }, {})?.url, 'https://c/v1/logs');
    assert.equal(resolveOtlpConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })?.url, 'http://c:4318/v1/logs');
    const logs = resolveOtlpConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://b/custom' });
    assert.deepEqual([logs?.url, logs?.source], ['http://b/custom', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']);
    assert.equal(resolveOtlpConfig({ endpoint: 'http://flag' }, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://env' })?.url, 'http://flag/v1/logs');
  });

  it('honours OTEL_SDK_DISABLED and OTEL_LOGS_EXPORTER=none for env endpoints only', () => {
    assert.equal(resolveOtlpConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' }), undefined);
    assert.equal(resolveOtlpConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_LOGS_EXPORTER: 'none' }), undefined);
    assert.ok(resolveOtlpConfig({ endpoint: 'http://c' }, { OTEL_SDK_DISABLED: 'true' }) !== undefined);
  });

  it('merges headers: generic env, then logs env, then flags (names lowercased, values percent-decoded)', () => {
    const config = resolveOtlpConfig(
      { endpoint: 'http://c', headers: ['X-Team=flag', 'authorization=Bearer f'] },
      { OTEL_EXPORTER_OTLP_HEADERS: 'x-team=generic,api-key=a%20b', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-team=logs,x-extra=1' },
    );
    assert.deepEqual(config?.headers, { 'x-team': 'flag', 'api-key': 'a b', 'x-extra': '1', authorization: 'Bearer f' });
  });

  it('takes the timeout from the flag (Go duration), else the env (ms), else 5 s', () => {
    assert.equal(resolveOtlpConfig({ endpoint: 'http://c' }, {})?.timeoutMs, 5000);
    assert.equal(resolveOtlpConfig({ endpoint: 'http://c', timeout: '250ms' }, { OTEL_EXPORTER_OTLP_TIMEOUT: '9' })?.timeoutMs, 250);
    assert.equal(resolveOtlpConfig({ endpoint: 'http://c' }, { OTEL_EXPORTER_OTLP_TIMEOUT: '9', OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '1500' })?.timeoutMs, 1500);
  });

  it('accepts gzip compression', () => {
    assert.equal(resolveOtlpConfig({ endpoint: 'http://c' }, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' })?.compression, 'gzip');
  });

  it('refuses what it cannot honour, as input_usage', () => {
    const bad: [Parameters<typeof resolveOtlpConfig>[0], Record<string, string>, RegExp][] = [
      [{ endpoint: 'not a url' }, {}, /invalid --export-otlp-endpoint: `not a url` is not a URL/],
      [{ endpoint: 'ftp://c' }, {}, /must use http or https/],
      [{ endpoint: 'http://c', headers: ['novalue'] }, {}, /invalid --export-otlp-header: expected name=value/],
      [{ endpoint: 'http://c', headers: ['a=b\r\nx: y'] }, {}, /control character/],
      [{ endpoint: 'http://c', timeout: '0s' }, {}, /--export-otlp-timeout must be > 0/],
      [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /unsupported OTLP protocol `grpc`/],
      [{ endpoint: 'http://c' }, { OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' }, /unsupported OTEL_EXPORTER_OTLP_COMPRESSION/],
      [{ endpoint: 'http://c' }, { OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, /invalid OTEL_EXPORTER_OTLP_TIMEOUT/],
    ];
    for (const [flags, env, message] of bad) assert.throws(() => resolveOtlpConfig(flags, env), { code: 'input_usage', message });
  });

  it('never shows URL credentials in its messages', () => {
    assert.throws(() => resolveOtlpConfig({ endpoint: 'ftp://user:pw@c' }, {}), (err: Error) => !err.message.includes('pw'));
  });
});
