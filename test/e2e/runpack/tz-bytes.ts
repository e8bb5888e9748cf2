/**
 * Child process of test/e2e/runpack-determinism.test.ts: builds the V1 runpack (library), records the
 * V3 input through the CLI (in-process, fixed clock) and builds its run pack, then prints the SHA-256
 * of every zip's bytes and the timezone it ran in, as one JSON line.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRunpackSync } from '../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../src/artifacts/runpack/input.js';
import { fixedClock } from '../../../src/runtime/clock.js';
import { runCli } from '../../../src/transports/cli/main.js';
import { makeTestIo } from '../../helpers/cli-io.js';
import { v1Input, v3Input } from '../../unit/artifacts/runpack/vectors.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function main(): Promise<void> {
  const library = buildRunpackSync(parseRunpackInput(v1Input()), { clock: fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 }) }).bytes;
  const t = makeTestIo();
  const input = v3Input() as Record<string, Record<string, unknown>>;
  delete input['run']?.['created_at']; // taken from the (fixed) clock
  writeFileSync(join(t.cwd, 'in.json'), JSON.stringify(input));
  const codes = [
    await runCli(['run', 'record', 'in.json', '--json'], t.io),
    await runCli(['pack', 'build', '--type', 'run', '--from', 'run_tck', '--out', 'pack.zip', '--json'], t.io),
  ];
  process.stdout.write(
    `${JSON.stringify({
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
      offset: new Date(2026, 0, 1).getTimezoneOffset(),
      codes,
      library: sha(library),
      cli_runpack: sha(readFileSync(join(t.cwd, 'gait-out', 'runpack_run_tck.zip'))),
      cli_pack: sha(readFileSync(join(t.cwd, 'pack.zip'))),
    })}\n`,
  );
}

void main();
