/**
 * `gait mcp serve --runpack-dir/--pack-dir` and their retention flags (mcp-and-export.md §5.1, §5.2,
 * §5.6) through the command, in-process: the flags are accepted (no longer refused), the directories
 * are created at startup, requests get runpacks and packs signed with the server key, and
 * `--pack-max-count` prunes with the §5.6 warning.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyPack, verifyRunpack } from '../../../../src/api/runpack.js';
import { encodePrivateKey } from '../../../../src/crypto/keys.js';
import type { CommandContext } from '../../../../src/transports/cli/command.js';
import { mcpServeCommand, runMcpServe } from '../../../../src/transports/cli/commands/mcp-serve.js';
import { readSettings } from '../../../../src/transports/cli/commands/mcp-serve-settings.js';
import type { DecisionService } from '../../../../src/transports/http/app.js';
import { makeTestIo } from '../../../helpers/cli-io.js';
import type { TestIo } from '../../../helpers/cli-io.js';
import { jsonOf, post, SERVE_KEY, SERVE_POLICY, SERVE_VERIFY_KEY } from '../../../helpers/serve-fixture.js';

/** The command context commander would build for these option attributes (all set on the command line). */
function contextOf(t: TestIo, opts: Record<string, string>): CommandContext {
  return { io: t.io, opts, args: [], json: true, correlationId: 'cid-test', setFlags: new Set(Object.keys(opts)) };
}

function workspace(): TestIo {
  const t = makeTestIo();
  writeFileSync(join(t.cwd, 'policy.yaml'), SERVE_POLICY);
  writeFileSync(join(t.cwd, 'key.private'), encodePrivateKey(SERVE_KEY));
  return t;
}

/** Runs the command until `use` is done with the listening service. */
async function serving(ctx: CommandContext, use: (service: DecisionService) => Promise<void>): Promise<number> {
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolveStop) => {
    stop = resolveStop;
  });
  let failure: unknown;
  const outcome = await runMcpServe(ctx, {
    stopSignal: () => stopped,
    onListening: (_server, service) => {
      use(service)
        .catch((err: unknown) => {
          failure = err;
        })
        .finally(() => stop('test'));
    },
  });
  if (failure !== undefined) throw failure;
  return outcome.exitCode;
}

const STAMP = String.raw`\d{8}T\d{6}\.\d{9}`;

describe('gait mcp serve --runpack-dir / --pack-dir', () => {
  it('declares the flags and no longer refuses them', () => {
    const flags = mcpServeCommand.options.map((o) => o.flags);
    for (const flag of ['--runpack-dir <dir>', '--pack-dir <dir>', '--runpack-max-age <duration>', '--runpack-max-count <n>', '--pack-max-age <duration>', '--pack-max-count <n>']) {
      assert.ok(flags.includes(flag), flag);
    }
    const t = workspace();
    const s = readSettings(contextOf(t, { policy: 'policy.yaml', runpackDir: ' rp ', packDir: 'pk', runpackMaxAge: '2h', runpackMaxCount: '3', packMaxAge: '90s', packMaxCount: '4' }));
    assert.deepEqual(
      [s.runpackDir, s.packDir, s.runpackMaxAgeMs, s.runpackMaxCount, s.packMaxAgeMs, s.packMaxCount],
      ['rp', 'pk', 7_200_000, 3, 90_000, 4],
    );
    const none = readSettings(contextOf(t, { policy: 'policy.yaml' }));
    assert.deepEqual([none.runpackDir, none.packDir, none.runpackMaxCount, none.packMaxAgeMs], ['', '', 0, 0]);
    rmSync(t.cwd, { recursive: true, force: true });
  });

  it('creates the directories at startup, writes signed runpacks and packs, prunes packs beyond --pack-max-count', async () => {
    const t = workspace();
    const ctx = contextOf(t, {
      policy: 'policy.yaml',
      listen: '127.0.0.1:0',
      keyMode: 'prod',
      privateKey: 'key.private',
      runpackDir: 'out/runpacks',
      packDir: 'out/packs',
      packMaxCount: '1',
    });
    const bodies: Record<string, unknown>[] = [];
    let firstPack = new Uint8Array(0);
    const code = await serving(ctx, async (service) => {
      assert.equal(statSync(join(t.cwd, 'out/runpacks')).isDirectory(), true);
      assert.equal(statSync(join(t.cwd, 'out/packs')).isDirectory(), true);
      bodies.push(await jsonOf(await service.fetch(post('/v1/evaluate', { call: { name: 'tool.search' }, run_id: 'cli', emit_runpack: true, emit_pack: true }))));
      // Read the first pack now: --pack-max-count 1 removes it once the second pack is written.
      firstPack = new Uint8Array(readFileSync(join(t.cwd, String(bodies[0]?.['pack_path']))));
      bodies.push(await jsonOf(await service.fetch(post('/v1/evaluate', { call: { name: 'tool.delete' }, run_id: 'cli' }))));
    });
    assert.equal(code, 0);
    const [first, second] = bodies as [Record<string, unknown>, Record<string, unknown>];
    assert.match(String(first['runpack_path']), new RegExp(`^out/runpacks/runpack_run_cli_${STAMP}\\.zip$`));
    assert.match(String(first['pack_path']), new RegExp(`^out/packs/pack_run_cli_${STAMP}\\.zip$`));
    assert.equal(verifyRunpack(new Uint8Array(readFileSync(join(t.cwd, String(first['runpack_path'])))), { key: SERVE_VERIFY_KEY, requireSignature: true }).ok, true);
    assert.equal(verifyPack(firstPack, { key: SERVE_VERIFY_KEY, requireSignature: true }).packId, first['pack_id']);
    assert.match(String(second['pack_path']), new RegExp(`^out/packs/pack_run_cli_${STAMP}\\.zip$`), 'auto-pack: tool.delete is state-changing');
    assert.equal(second['runpack_path'], undefined);
    assert.ok((second['warnings'] as string[]).includes('retention_pack_removed_age=0 removed_count=1'));
    // The service flushes retention removals when it stops.
    assert.deepEqual(readdirSync(join(t.cwd, 'out/packs')), [String(second['pack_path']).slice('out/packs/'.length)]);
    rmSync(t.cwd, { recursive: true, force: true });
  });
});
