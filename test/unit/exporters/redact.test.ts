/**
 * Secrets never leave in exports: args only on opt-in, and then redacted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toDecisionLogJson } from '../../../src/exporters/decision-event.js';
import { toOtelStyleLine, toOtlpLogRecord } from '../../../src/exporters/otel-attributes.js';
import { redactErrorText, redactUrl, redactValue } from '../../../src/exporters/redact.js';
import { decisionEvent } from './fixtures.js';

const SECRETS = ['hunter2', 't0ps3cr3t', 'abc.def.ghi', 'bob:'];

function views(includeArgs: boolean): string[] {
  const { event } = decisionEvent(includeArgs);
  return [JSON.stringify(toDecisionLogJson(event)), toOtelStyleLine(event), JSON.stringify(toOtlpLogRecord(event, 0n))];
}

describe('redaction in exports', () => {
  it('exports no args at all by default', () => {
    for (const view of views(false)) {
      assert.ok(!view.includes('/tmp/out.txt'), view);
      assert.ok(!view.includes('api_key'), view);
    }
  });

  it('exports opted-in args with secrets redacted in every view', () => {
    for (const view of views(true)) {
      assert.ok(view.includes('/tmp/out.txt'), 'harmless args are kept');
      for (const secret of SECRETS) assert.ok(!view.includes(secret), `${secret} leaked in ${view}`);
      assert.ok(view.includes('[redacted]'));
    }
  });
});

describe('redactValue()', () => {
  it('replaces suspicious keys, secret-looking strings, bearer tokens and inline key=value secrets', () => {
    assert.deepEqual(
      redactValue({
        password: 'pw',
        nested: { client_secret: { a: 1 }, list: ['ghp_abcdefghijklmnop', 'plain words'] },
        header: 'Bearer eyJhbGciOi',
        cmd: 'curl -H x api_key=AKIA1234 https://h',
        ok: true,
        n: 3,
        token_ref: 'ref:vault/t',
      }),
      {
        password: '[redacted]',
        nested: { client_secret: '[redacted]', list: ['[redacted]', 'plain words'] },
        header: 'Bearer [redacted]',
        cmd: 'curl -H x api_key=[redacted] https://h',
        ok: true,
        n: 3,
        token_ref: 'ref:vault/t',
      },
    );
  });
});

describe('redactUrl() / redactErrorText()', () => {
  it('drops userinfo and secret query values', () => {
    assert.equal(redactUrl('https://u:p@h.example/x?token=abc&q=1'), 'https://%5Bredacted%5D@h.example/x?token=%5Bredacted%5D&q=1');
    assert.equal(redactUrl('not a url'), 'not a url');
  });

  it('keeps error texts on one line without credentials', () => {
    assert.equal(
      redactErrorText('connect ECONNREFUSED\n at https://u:pw@collector:4318/v1/logs?api_key=k Bearer xyz'),
      'connect ECONNREFUSED at https://%5Bredacted%5D@collector:4318/v1/logs?api_key=%5Bredacted%5D Bearer [redacted]',
    );
  });
});
