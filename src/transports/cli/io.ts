import { readFileSync } from 'node:fs';
import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { Random } from '../../runtime/random.js';
import { systemRandom } from '../../runtime/random.js';

/**
 * Everything a command may touch outside its arguments. `runCli` takes it as a value so tests run
 * commands in-process with a fixed clock, a temp working directory and captured output.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly random: Random;
  /** whether stderr is a terminal (progress and colour only then) */
  readonly isTty: boolean;
  /** reads all of standard input (`--call -`); absent = no stdin available */
  readonly stdin?: () => Uint8Array;
}

/** The real process: stdout/stderr, cwd, environment, wall clock, OS randomness. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    clock: systemClock,
    random: systemRandom,
    isTty: process.stderr.isTTY === true,
    stdin: () => readFileSync(0),
  };
}
