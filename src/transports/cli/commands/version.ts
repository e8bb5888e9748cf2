import { GAIT_VERSION } from '../../../runtime/version.js';
import type { CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';

export const versionCommand: CommandSpec = {
  path: ['version'],
  summary: 'print the gait version',
  options: [],
  run: async () => ({ exitCode: EXIT.ok, json: { ok: true, version: GAIT_VERSION }, human: [`gait ${GAIT_VERSION}`] }),
};
