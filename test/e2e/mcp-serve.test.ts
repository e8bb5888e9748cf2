/**
 * `gait mcp serve` (mcp-and-export.md §5.1, §5.2): startup refusals in-process (exit 6 before
 * listening), then the built binary as a real service: the `--json` startup line, a decision over
 * HTTP, a policy replaced by garbage while serving (old policy kept, reason logged on stderr,
 * /healthz stale), a valid replacement reloaded, and SIGTERM → graceful stop, exit 0.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { SERVE_POLICY } from '../helpers/serve-fixture.js';
import type { CommandContext } from '../../src/transports/cli/command.js';
import { readSettings } from '../../src/transports/cli/commands/mcp-serve-settings.js';
import { gait, invalidInput } from './support.js';

const BIN = join(process.cwd(), 'dist/gait.mjs');

function setup(env: Record<string, string> = {}): TestIo {
  const t = makeTestIo({ env: { GAIT_CORRELATION_ID: 'cid-test', ...env } });
  writeFileSync(join(t.cwd, 'policy.yaml'), SERVE_POLICY);
  return t;
}

describe('gait mcp serve: startup refusals (exit 6, nothing listens)', () => {
  const cases: [string[], string, Record<string, string>?][] = [
    [[], 'expected --policy <policy.yaml>'],
    [['--policy', 'policy.yaml', '--listen', '0.0.0.0:0'], 'non-loopback --listen requires --auth-mode token'],
    [['--policy', 'policy.yaml', '--listen', ':0'], 'non-loopback --listen requires --auth-mode token'],
    [['--policy', 'policy.yaml', '--listen', 'nope'], 'invalid --listen address "nope" (expected host:port)'],
    [['--policy', 'policy.yaml', '--auth-mode', 'basic'], 'unsupported --auth-mode value (expected off or token)'],
    [['--policy', 'policy.yaml', '--auth-mode', 'token'], '--auth-mode token requires --auth-token-env'],
    [['--policy', 'policy.yaml', '--auth-mode', 'token', '--auth-token-env', 'GAIT_TOKEN'], '--auth-token-env did not resolve to a non-empty value', { GAIT_TOKEN: '  ' }],
    [['--policy', 'policy.yaml', '--max-request-bytes', '0'], '--max-request-bytes must be > 0'],
    [['--policy', 'policy.yaml', '--max-concurrent', '-1'], '--max-concurrent must be > 0'],
    [['--policy', 'policy.yaml', '--trace-max-count', '-1'], 'retention max-count values must be >= 0'],
    [['--policy', 'policy.yaml', '--trace-max-age', '-1h'], 'parse --trace-max-age: duration must be >= 0'],
    [['--policy', 'policy.yaml', '--session-max-age', 'soon'], 'parse --session-max-age: invalid duration `soon`'],
    [['--policy', 'policy.yaml', '--http-verdict-status', 'loose'], 'unsupported --http-verdict-status value (expected compat or strict)'],
    [['--policy', 'policy.yaml', '--adapter', 'cohere'], 'unsupported adapter: cohere'],
    [['--policy', 'policy.yaml', '--profile', 'oss-prod'], 'oss-prod profile requires --key-mode prod'],
    [['--policy', 'policy.yaml', '--pack-max-count', '-2'], 'retention max-count values must be >= 0'],
    [['--policy', 'policy.yaml', '--runpack-max-age', 'soon'], 'parse --runpack-max-age: invalid duration `soon`'],
    [['--policy', 'missing.yaml'], 'cannot read policy `missing.yaml`: no such file'],
    [['--policy', 'policy.yaml', '--runpack-max-age', '1h'], '--runpack-max-age requires --runpack-dir'],
    [['--policy', 'policy.yaml', '--pack-max-age', '30m'], '--pack-max-age requires --pack-dir'],
    [['--policy', 'policy.yaml', '--runpack-max-count', '3'], '--runpack-max-count requires --runpack-dir'],
    [['--policy', 'policy.yaml', '--pack-max-count', '2'], '--pack-max-count requires --pack-dir'],
    [['--policy', 'policy.yaml', '--pack-dir', 'packs', '--runpack-max-count', '3', '--pack-max-count', '2'], '--runpack-max-count requires --runpack-dir'],
    [['--policy', 'policy.yaml', '--runpack-dir', 'runpacks', '--pack-max-age', '1h'], '--pack-max-age requires --pack-dir'],
    // the first offending flag in §5.1 order (the max-age row before the max-count row), not in command-line order
    [['--policy', 'policy.yaml', '--pack-max-count', '2', '--runpack-max-count', '3', '--pack-max-age', '1h', '--runpack-max-age', '2h'], '--runpack-max-age requires --runpack-dir'],
    [['--policy', 'policy.yaml', '--runpack-max-count', '3', '--pack-max-age', '1h'], '--pack-max-age requires --pack-dir'],
    // a value that does not parse is reported as such, before the directory rule
    [['--policy', 'policy.yaml', '--runpack-max-count', 'x'], 'retention max-count values must be >= 0'],
    [['--policy', 'policy.yaml', '--trace-sync', 'sometimes'], 'unsupported --trace-sync value `sometimes` (expected always, batched, never)'],
    [['--policy', 'policy.yaml', '--trace-sync-interval', 'often'], 'parse --trace-sync-interval: invalid duration `often`'],
    [['--policy', 'policy.yaml', '--trace-sync-interval', '0'], 'parse --trace-sync-interval: expected a whole number of milliseconds >= 1ms (e.g. 100ms)'],
    [['--policy', 'policy.yaml', '--trace-sync-interval', '500us'], 'parse --trace-sync-interval: expected a whole number of milliseconds >= 1ms (e.g. 100ms)'],
  ];
  for (const [args, message, env] of cases) {
    it(message, async () => {
      const t = setup(env);
      assert.equal(invalidInput(await gait(t, 'mcp', 'serve', ...args, '--json'))['error'], message);
    });
  }

  it('retention limits of 0 (disabled) need no directory; limits with their directory are kept', () => {
    const t = setup();
    const ctx = (opts: Record<string, string>): CommandContext => ({ io: t.io, opts, args: [], json: true, correlationId: 'cid-test', setFlags: new Set(Object.keys(opts)) });
    const zero = readSettings(ctx({ policy: 'policy.yaml', runpackMaxAge: '0', runpackMaxCount: '0', packMaxAge: '0s', packMaxCount: '0' }));
    assert.deepEqual([zero.runpackDir, zero.packDir, zero.runpackMaxAgeMs, zero.runpackMaxCount, zero.packMaxAgeMs, zero.packMaxCount], ['', '', 0, 0, 0, 0]);
    const set = readSettings(ctx({ policy: 'policy.yaml', runpackDir: 'rp', packDir: 'pk', runpackMaxAge: '1h', runpackMaxCount: '3', packMaxAge: '30m', packMaxCount: '2' }));
    assert.deepEqual([set.runpackMaxAgeMs, set.runpackMaxCount, set.packMaxAgeMs, set.packMaxCount], [3_600_000, 3, 1_800_000, 2]);
  });

  it('a policy that does not parse is refused with its position', async () => {
    const t = setup();
    writeFileSync(join(t.cwd, 'bad.yaml'), 'rules: [\n');
    assert.match(String(invalidInput(await gait(t, 'mcp', 'serve', '--policy', 'bad.yaml', '--json'))['error']), /^bad\.yaml:\d+:\d+: /);
  });
});

interface Child {
  readonly lines: () => string[];
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  readonly kill: (signal: NodeJS.Signals) => void;
}

function spawnServe(cwd: string, args: string[]): Child {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, [BIN, 'mcp', 'serve', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { lines: () => out.split('\n').filter((l) => l !== ''), stderr: () => err, exited, kill: (s) => child.kill(s) };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('gait mcp serve: the built binary as a service', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gait-e2e-serve-'));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('starts, decides, survives a garbage policy, reloads a good one, stops on SIGTERM', async () => {
    writeFileSync(join(cwd, 'policy.yaml'), SERVE_POLICY);
    const child = spawnServe(cwd, ['--policy', 'policy.yaml', '--listen', '127.0.0.1:0', '--json', '--trace-dir', 'traces']);
    try {
      const startLine = await until('the startup line', () => child.lines()[0]);
      const start = JSON.parse(startLine) as Record<string, unknown>;
      assert.deepEqual(Object.keys(start).sort(), ['adapter', 'correlation_id', 'key_id', 'listen', 'ok', 'policy', 'policy_digest', 'profile']);
      assert.equal(start['ok'], true);
      assert.equal(start['adapter'], 'mcp');
      assert.equal(start['profile'], 'standard');
      const base = `http://${String(start['listen'])}`;
      assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
      const decide = async (): Promise<Record<string, unknown>> => {
        const res = await fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ call: { name: 'tool.write' } }) });
        assert.equal(res.status, 200);
        return (await res.json()) as Record<string, unknown>;
      };
      const first = await decide();
      assert.equal(first['verdict'], 'block');
      assert.equal(first['key_id'], start['key_id']);
      assert.equal(JSON.parse(readFileSync(join(cwd, String(first['trace_path'])), 'utf8')).trace_id, first['trace_id']);

      writeFileSync(join(cwd, 'policy.new'), 'this: [is not a policy\n');
      renameSync(join(cwd, 'policy.new'), join(cwd, 'policy.yaml'));
      const stale = await until('/healthz stale', async () => {
        const h = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
        return h['policy_status'] === 'stale' ? h : undefined;
      });
      assert.equal(stale['policy_digest'], start['policy_digest']);
      assert.match(String(stale['policy_error']), /^policy\.yaml:/);
      assert.equal((await decide())['verdict'], 'block', 'still the old policy');
      const logged = await until('the reload failure on stderr', () => child.stderr().split('\n').find((l) => l.includes('"policy_reload_failed"')));
      assert.match(logged, /"file_digest":"[0-9a-f]{64}"/);

      writeFileSync(join(cwd, 'policy.new'), 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\nrules: []\n');
      renameSync(join(cwd, 'policy.new'), join(cwd, 'policy.yaml'));
      await until('the new policy', async () => ((await decide())['verdict'] === 'allow' ? true : undefined));
      const current = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
      assert.equal(current['policy_status'], 'current');
      assert.notEqual(current['policy_digest'], start['policy_digest']);

      child.kill('SIGTERM');
      assert.equal(await child.exited, 0);
      const last = JSON.parse(child.lines().at(-1) ?? '{}') as Record<string, unknown>;
      assert.deepEqual(last, { correlation_id: start['correlation_id'], drained: true, ok: true, signal: 'SIGTERM', stopped: true });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
