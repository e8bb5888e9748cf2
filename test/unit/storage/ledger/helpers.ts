// Shared helpers for the ledger tests: a temp root per test file, GaitError capture, and whether
// file modes stop this process from writing (they do not for root).
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../../../src/errors/error.js';

export function tempRoot(prefix: string): () => string {
  const root = mkdtempSync(join(tmpdir(), `gait-ledger-${prefix}-`));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return () => {
    n += 1;
    const d = join(root, `case${String(n)}`);
    mkdirSync(d);
    return d;
  };
}

export function caught(fn: () => unknown): GaitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GaitError, `expected GaitError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

export const modeOf = (p: string): number => statSync(p).mode & 0o777;

/** Whether chmod 0500 on a directory lets this process write into it anyway (root, CAP_DAC_OVERRIDE). */
export function modesIgnored(dir: string): boolean {
  const probe = join(dir, 'mode-probe');
  mkdirSync(probe);
  chmodSync(probe, 0o500);
  try {
    writeFileSync(join(probe, 'x'), 'x');
    return true;
  } catch {
    return false;
  } finally {
    chmodSync(probe, 0o700);
    rmSync(probe, { recursive: true, force: true });
  }
}
