/**
 * `gait version` (artifacts.md §8): `gait <version>`, or `{correlation_id, ok, version}` with `--json`.
 * Bare `gait`, `gait --version` and `gait -v` run this command (`versionAlias` in main.ts). The version
 * is the release stamp of this build (`GAIT_VERSION`, pinned equal to package.json).
 */
import { GAIT_VERSION } from '../../../runtime/version.js';
import type { CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';

export const versionCommand: CommandSpec = {
  path: ['version'],
  summary: 'print the gait version',
  options: [],
  run: async () => ({ exitCode: EXIT.ok, json: { ok: true, version: GAIT_VERSION }, human: [`gait ${GAIT_VERSION}`] }),
};
