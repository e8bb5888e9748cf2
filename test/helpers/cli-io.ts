/**
 * An in-process `CliIo` for tests: captured stdout/stderr, a fresh temp working directory, a fixed
 * clock (2026-02-05T00:00:00Z) and a seeded deterministic random source.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/runtime/clock.js';
import { fixedClock } from '../../src/runtime/clock.js';
import type { Random } from '../../src/runtime/random.js';
import type { CliIo } from '../../src/transports/cli/io.js';

/** 2026-02-05T00:00:00Z, the instant of the Gait v1 conformance vectors. */
export const TEST_NOW = { seconds: 1_770_249_600, nanos: 0, offsetMinutes: 0 } as const;

export interface TestIoOptions {
  /** working directory (default: a fresh mkdtemp directory) */
  readonly cwd?: string;
  /** environment (default `{GAIT_CORRELATION_ID: 'cid-test'}`) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /** seed of the deterministic random source (default `gait-test`) */
  readonly seed?: string;
  readonly isTty?: boolean;
}

export interface TestIo {
  readonly io: CliIo;
  /** everything written to stdout so far */
  readonly out: () => string;
  /** everything written to stderr so far */
  readonly err: () => string;
  readonly cwd: string;
}

/** SHA-256 in counter mode over the seed: the same seed always yields the same bytes. */
export function seededRandom(seed: string): Random {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return {
    bytes(length: number): Uint8Array {
      while (pool.length < length) {
        const block = createHash('sha256').update(`${seed}\u0000${counter}`).digest();
        counter += 1;
        pool = Buffer.concat([pool, block]);
      }
      const out = new Uint8Array(pool.subarray(0, length));
      pool = pool.subarray(length);
      return out;
    },
  };
}

/** Builds a test io; see the module comment for the defaults. */
export function makeTestIo(options: TestIoOptions = {}): TestIo {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'gait-cli-'));
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd,
    env: options.env ?? { GAIT_CORRELATION_ID: 'cid-test' },
    clock: options.clock ?? fixedClock(TEST_NOW),
    random: seededRandom(options.seed ?? 'gait-test'),
    isTty: options.isTty ?? false,
  };
  return { io, out: () => stdout, err: () => stderr, cwd };
}
