import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { systemClock } from '../../../../src/runtime/clock.js';
import { demoRunpackInput } from '../../../../src/transports/cli/commands/demo-runpack.js';

describe('demoRunpackInput()', () => {
  it('is the artifacts.md §5 demo run: with producer 0.0.0-dev it reproduces vector V4 (§2.14)', () => {
    const built = buildRunpackSync(parseRunpackInput(demoRunpackInput('0.0.0-dev')), { clock: systemClock });
    assert.equal(built.manifestDigest, '436474ad70446539c909ae85bcc156d30197ba68efb8debdaed4f5d2eef2922e');
    assert.equal(built.signatureStatus, 'missing');
  });
});
