/**
 * Pin: the CLI error envelope (gate.md §A12.1, Part D V6) byte for byte, with the correlation id fixed
 * through `GAIT_CORRELATION_ID` (src/transports/cli/correlation.ts), plus the derived correlation id.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GaitError } from '../../src/errors/error.js';
import { runCli } from '../../src/transports/cli/main.js';
import { renderJsonLine, toErrorReport } from '../../src/transports/cli/output.js';
import { gait, jsonLine, shortIdOf, traceFiles, V4_PRIVATE_KEY, workspace } from '../e2e/support.js';

/** gate.md Part D V6, verbatim. */
const V6_INVALID =
  '{"correlation_id":"cid-golden-invalid","error":"missing required --policy","error_category":"invalid_input","error_code":"invalid_input","hint":"check command usage and input schema","ok":false,"retryable":false}';
const V6_INTERNAL =
  '{"correlation_id":"cid-golden-internal","error":"unexpected failure","error_category":"internal_failure","error_code":"internal_failure","hint":"retry after checking local environment and logs","ok":false,"retryable":false}';

const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json'];

/** A clock that fails with an empty, unclassified error: the "unexpected failure" path. */
const explodingClock = {
  now(): never {
    throw new Error('');
  },
};

describe('pin: V6 error envelopes (renderer)', () => {
  it('renders the invalid-input envelope byte for byte', () => {
    const report = toErrorReport(new GaitError('input_usage', 'missing required --policy'), 'cid-golden-invalid');
    assert.equal(report.exitCode, 6);
    assert.equal(renderJsonLine(report.envelope), `${V6_INVALID}\n`);
  });

  it('renders the internal-failure envelope byte for byte for an empty unclassified error', () => {
    for (const thrown of [new Error(''), '']) {
      const report = toErrorReport(thrown, 'cid-golden-internal');
      assert.equal(report.exitCode, 1);
      assert.equal(renderJsonLine(report.envelope), `${V6_INTERNAL}\n`);
    }
  });
});

describe('pin: V6 error envelopes (real in-process runs)', () => {
  it('internal failure: an io whose clock throws gives exactly the V6 bytes, exit 1, nothing written', async () => {
    const t = workspace({ env: { GAIT_CORRELATION_ID: 'cid-golden-internal' }, clock: explodingClock });
    const run = await gait(t, ...EVAL, '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, `${V6_INTERNAL}\n`);
    assert.equal(run.stderr, '');
    assert.deepEqual(traceFiles(t.cwd), []);
  });

  it('invalid input: the same member set and bytes for the gate eval usage error', async () => {
    const t = workspace({ env: { GAIT_CORRELATION_ID: 'cid-golden-invalid' } });
    const run = await gait(t, 'gate', 'eval', '--intent', 'intent.json', '--json');
    assert.equal(run.code, 6);
    assert.equal(run.stdout, `${V6_INVALID.replace('missing required --policy', 'both --policy and --intent are required')}\n`);
  });

  it('classified errors add error_reason and error_location to the V6 members', async () => {
    const t = workspace({ env: { GAIT_CORRELATION_ID: 'cid-golden-invalid' } });
    writeFileSync(join(t.cwd, 'policy.yaml'), 'default_verdict: allow\nrulez: []\n');
    const run = await gait(t, ...EVAL);
    assert.equal(run.code, 6);
    assert.equal(
      run.stdout,
      '{"correlation_id":"cid-golden-invalid","error":"policy.yaml:2:1: parse policy yaml: unknown field `rulez`","error_category":"invalid_input",' +
        '"error_code":"invalid_input","error_location":"policy.yaml:2:1","error_reason":"policy_parse","hint":"did you mean `rules`?","ok":false,"retryable":false}\n',
    );
  });

  it('human mode prints `<command> error:` and the hint on stderr, nothing on stdout', async () => {
    const t = workspace();
    const run = await gait(t, 'gate', 'eval', '--intent', 'intent.json');
    assert.equal(run.code, 6);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'gate eval error: both --policy and --intent are required\nhint: check command usage and input schema\n');
    const internal = await gait(workspace({ clock: explodingClock }), ...EVAL.slice(0, -1));
    assert.equal(internal.code, 1);
    assert.equal(internal.stderr, 'gate eval error: unexpected failure\nhint: retry after checking local environment and logs\n');
  });

  it(
    'legacy-policy errors carry `migration` (§A12.1)',
    async () => {
      const t = workspace();
      writeFileSync(join(t.cwd, 'policy.yaml'), 'version: 1\nname: x\n');
      const out = jsonLine(await gait(t, ...EVAL));
      assert.equal(out['error_reason'], 'policy_legacy');
      const migration = out['migration'] as Record<string, unknown> | undefined;
      assert.equal(migration?.['kind'], 'policy_fields');
      assert.deepEqual(migration?.['deprecated_fields'], ['version', 'name']);
      assert.deepEqual((migration?.['field_replacements'] as { field: string }[]).map((r) => r.field), ['version', 'name']);
    },
  );

  it(
    'runCli never throws, even when writing stdout fails',
    async () => {
      const t = workspace();
      const io = { ...t.io, stdout: (): void => { throw new Error('EPIPE'); } };
      const code = await runCli([...EVAL, '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY], io);
      assert.equal(code, 1);
    },
  );
});

describe('pin: correlation_id (§A1.2)', () => {
  it('GAIT_CORRELATION_ID overrides it (trimmed); blank values are ignored', async () => {
    const trimmed = await gait(workspace({ env: { GAIT_CORRELATION_ID: '  cid-x  ' } }), 'gate', 'eval', '--json');
    assert.equal(jsonLine(trimmed)['correlation_id'], 'cid-x');
    const args = ['gate', 'eval', '--json'];
    const blank = await gait(workspace({ env: { GAIT_CORRELATION_ID: ' \t ' } }), ...args);
    assert.equal(jsonLine(blank)['correlation_id'], shortIdOf(['gait', ...args].join('\u001f')));
  });

  it('is the short id of `gait` and the trimmed arguments joined with U+001F, on errors and successes', async () => {
    const args = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];
    const run = await gait(workspace({ env: {} }), ...args);
    assert.equal(run.code, 3);
    assert.equal(jsonLine(run)['correlation_id'], shortIdOf(['gait', ...args].join('\u001f')));
    const spaced = await gait(workspace({ env: {} }), 'gate', 'eval', '--intent', '  intent.json\t', '--json');
    assert.equal(jsonLine(spaced)['correlation_id'], shortIdOf('gait\u001fgate\u001feval\u001f--intent\u001fintent.json\u001f--json'));
    const failed = await gait(workspace({ env: {} }), 'gate', 'eval', '--bogus', '--json');
    assert.equal(jsonLine(failed)['correlation_id'], shortIdOf('gait\u001fgate\u001feval\u001f--bogus\u001f--json'));
  });
});
