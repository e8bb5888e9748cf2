import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDoctor } from '../../../../src/storage/doctor/doctor.js';
import { checkNodeVersion } from '../../../../src/storage/doctor/env-checks.js';
import type { DoctorOptions } from '../../../../src/storage/doctor/types.js';

function options(overrides: Partial<DoctorOptions> = {}): DoctorOptions {
  return {
    workdir: mkdtempSync(join(tmpdir(), 'gait-doctor-')),
    workdirShown: '.',
    outputDir: './gait-out',
    policyPath: '.gait.yaml',
    keyMode: '',
    privateKeyPath: '',
    privateKeyEnv: '',
    publicKeyPath: '',
    publicKeyEnv: '',
    env: {},
    nodeVersion: 'v20.20.2',
    tempDir: tmpdir(),
    ...overrides,
  };
}

describe('checkNodeVersion()', () => {
  it('requires 20.19 or newer; an older runtime is non-fixable', () => {
    assert.equal(checkNodeVersion('v20.19.0').status, 'pass');
    assert.equal(checkNodeVersion('v22.1.0').status, 'pass');
    assert.deepEqual(checkNodeVersion('v20.18.3'), {
      name: 'node_version',
      scope: 'universal',
      status: 'fail',
      message: 'node v20.18.3 is too old (>= 20.19 required)',
      nonFixable: true,
    });
  });
});

describe('runDoctor()', () => {
  it('marks the report non-fixable when a non-fixable check fails', () => {
    const report = runDoctor(options({ nodeVersion: 'v18.20.0' }));
    assert.equal(report.status, 'fail');
    assert.equal(report.nonFixable, true);
    assert.equal(report.summary, 'doctor: onboarding_mode=installed_binary status=fail failed=1 warned=1 non_fixable=true');
  });

  it('fails a workdir that does not exist', () => {
    const report = runDoctor(options({ workdir: '/nonexistent/gait-doctor', workdirShown: 'nope' }));
    assert.deepEqual(report.checks[1], { name: 'workdir', scope: 'universal', status: 'fail', message: 'workdir nope is not a directory', fixCommand: 'mkdir -p nope' });
  });
});
