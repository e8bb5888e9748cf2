// Start barrier for test/e2e/approval-race.test.ts: runs the BUILT `gait` binary only once every racer
// is ready, so that N processes reach the approval ledger together.
//
//   node start-barrier.mjs <barrier-dir> <name> <dist/transports/cli/bin.js> [gait args...]
//
// 1. imports the CLI's module graph (dist/transports/cli/main.js), so that module loading, which is
//    most of a gait process's time, is over before the race starts;
// 2. creates <barrier-dir>/<name>.ready;
// 3. waits (polling every millisecond, at most 30 s) for <barrier-dir>/go, which the test creates
//    once every racer is ready;
// 4. runs bin.js itself with process.argv set to `node bin.js [gait args...]`, as a direct spawn would.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, name, bin, ...args] = process.argv.slice(2);
if (dir === undefined || name === undefined || bin === undefined) {
  process.stderr.write('usage: node start-barrier.mjs <barrier-dir> <name> <bin.js> [args...]\n');
  process.exit(64);
}

await import(pathToFileURL(join(dirname(bin), 'main.js')).href);
writeFileSync(join(dir, `${name}.ready`), '');

const go = join(dir, 'go');
const tick = new Int32Array(new SharedArrayBuffer(4));
const deadline = Date.now() + 30_000;
while (!existsSync(go)) {
  if (Date.now() > deadline) {
    process.stderr.write(`start-barrier: no ${go} within 30 s\n`);
    process.exit(70);
  }
  Atomics.wait(tick, 0, 0, 1);
}

process.argv = [process.argv[0], bin, ...args];
await import(pathToFileURL(bin).href);
