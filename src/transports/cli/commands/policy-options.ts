/** Options shared by the `gait policy` commands. */
import type { OptionSpec } from '../command.js';

export const MAX_INPUT_OPTION: OptionSpec = {
  flags: '--max-input-bytes <n>',
  description: 'size cap for policy and intent files (default 1048576)',
};
