// Bundles the CLI into one ES module, dist/gait.mjs (the `gait` bin), so a command loads one file
// instead of ~100 modules: start-up is most of a one-shot `gait gate eval` (docs/benchmarks.md,
// figure 4). ajv and better-sqlite3 stay outside: they are loaded lazily through createRequire and
// resolved from node_modules at run time. The unbundled dist/transports/cli/bin.js keeps working.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const outfile = `${root}dist/gait.mjs`;

await build({
  entryPoints: [`${root}dist/transports/cli/bin.js`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (commander) call require(); give the bundle one.
  banner: { js: "import { createRequire as __gaitCreateRequire } from 'node:module';\nconst require = __gaitCreateRequire(import.meta.url);" },
  external: ['better-sqlite3', 'ajv', 'ajv-formats'],
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync(outfile, 0o755);
