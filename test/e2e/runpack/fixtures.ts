/**
 * Shared inputs for the runpack and pack CLI e2e tests: the §2.14 V3 run-record input (test kit, §3.8)
 * written into a workspace, and an independent reader of zip entries (yauzl, not gait's reader).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { makeTestIo } from '../../helpers/cli-io.js';
import type { TestIo, TestIoOptions } from '../../helpers/cli-io.js';
import { v3Input } from '../../unit/artifacts/runpack/vectors.js';
import { gait } from '../support.js';
import type { Run } from '../support.js';

export const V3_MANIFEST_DIGEST = '145318df409e6cd34adc043ee5949a26d299007ce7e633d35a7db25cac092af7';

/** A workspace with `run_record.json` holding the V3 input (plus `overrides` merged at top level). */
export function recordWorkspace(overrides: Record<string, unknown> = {}, options: TestIoOptions = {}): TestIo {
  const t = makeTestIo(options);
  writeFileSync(join(t.cwd, 'run_record.json'), `${JSON.stringify({ ...v3Input(), ...overrides }, null, 2)}\n`);
  return t;
}

/** `gait run record run_record.json --json` plus extra flags. */
export function record(t: TestIo, ...flags: string[]): Promise<Run> {
  return gait(t, 'run', 'record', 'run_record.json', '--json', ...flags);
}

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** Every entry of a zip file, read with yauzl: name → bytes. */
export function unzipIndependently(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err !== null || zip === undefined) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 !== null || stream === undefined) return reject(e2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
