/**
 * A small subset of the corpus through the BUILT binary (`node dist/transports/cli/bin.js`), spawned
 * with a temp working directory and a fixed `GAIT_CORRELATION_ID`: one allow, one block, one
 * require_approval and one exit-6 refusal, so packaging, the bin entry and real process exit codes are
 * covered. `npm test` builds first; when running this file alone, run `npm run build` before.
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliInvoker } from './cli-surface.js';
import { cliSurface } from './cli-surface.js';
import { runConformance } from './run.js';

const BIN = fileURLToPath(new URL('../../dist/transports/cli/bin.js', import.meta.url));
const CORRELATION_ID = 'cid-conformance-bin';

const root = mkdtempSync(join(tmpdir(), 'gait-conformance-bin-'));
after(() => rmSync(root, { recursive: true, force: true }));

const spawned: CliInvoker = async (argv, cwd) => {
  await Promise.resolve();
  assert.ok(existsSync(BIN), `${BIN} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [BIN, ...argv], {
    cwd,
    env: { GAIT_CORRELATION_ID: CORRELATION_ID },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error !== undefined) throw result.error;
  assert.ok(result.status !== null, `gait was killed by ${String(result.signal)}; stderr: ${result.stderr}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

runConformance('bin gate eval (spawned dist/transports/cli/bin.js)', cliSurface(spawned, { root, correlationId: CORRELATION_ID, alwaysPassEvaluationTime: true }), {
  layer: 'gate_eval',
  failClosedInvalidIntent: 'refusal',
  traces: 'required',
  only: ['default-allow', 'gait-integration-vector', 'dataflow-taint-escalates-allow', 'fail-closed-intent-invalid'],
});
