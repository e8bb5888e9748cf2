/**
 * The conformance corpus through `gait gate eval` in-process (`runCli` with the test io: fixed clock
 * 2026-02-05T00:00:00Z, temp working directory, `GAIT_CORRELATION_ID=cid-test`), each produced trace
 * checked with `gait trace verify`. See `cli-surface.ts` for the exact command lines.
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/transports/cli/main.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { CliInvoker } from './cli-surface.js';
import { cliSurface } from './cli-surface.js';
import { runConformance } from './run.js';

const root = mkdtempSync(join(tmpdir(), 'gait-conformance-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

const inProcess: CliInvoker = async (argv, cwd) => {
  const t = makeTestIo({ cwd });
  const code = await runCli(argv, t.io);
  return { code, stdout: t.out(), stderr: t.err() };
};

runConformance('cli gate eval (in-process)', cliSurface(inProcess, { root, correlationId: 'cid-test', alwaysPassEvaluationTime: false }), {
  layer: 'gate_eval',
  failClosedInvalidIntent: 'refusal',
  traces: 'required',
});
