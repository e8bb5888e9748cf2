/**
 * One read of a job's state file per request (`job-state-file.ts`): the emergency-stop state and the
 * session event's safety invariants are views of the same read, and anything unreadable is
 * `unavailable` (fail closed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobStateReaderOnce, readJobStateFile } from '../../../src/storage/job-state-file.js';
import { safetyInvariantsOf } from '../../../src/storage/session-job-state.js';
import { jobStopStateOf } from '../../../src/transports/mcp/job-status.js';

function jobRoot(state: string): { cwd: string; path: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'gait-job-state-'));
  mkdirSync(join(cwd, 'jobs', 'job-1'), { recursive: true });
  const path = join(cwd, 'jobs', 'job-1', 'state.json');
  writeFileSync(path, state);
  return { cwd, path };
}

describe('readJobStateFile() and its two views', () => {
  it('a running job with invariants', () => {
    const { cwd } = jobRoot(JSON.stringify({ status: 'running', safety_invariant_version: ' v1 ', safety_invariant_hash: 'abc' }));
    const read = readJobStateFile('job-1', 'jobs', cwd);
    assert.deepEqual(jobStopStateOf(read), { status: 'running' });
    assert.deepEqual(safetyInvariantsOf(read), { version: 'v1', hash: 'abc' });
  });

  it('fails closed on an unsafe id, bad JSON, a non-object and an unknown status', () => {
    const { cwd, path } = jobRoot('{');
    assert.deepEqual(jobStopStateOf(readJobStateFile('../x', 'jobs', cwd)), { status: 'unavailable', error: 'invalid job id `../x`' });
    assert.deepEqual(jobStopStateOf(readJobStateFile('job-1', 'jobs', cwd)), { status: 'unavailable', error: `cannot read job state \`${path}\`: invalid JSON` });
    writeFileSync(path, 'null');
    assert.deepEqual(jobStopStateOf(readJobStateFile('job-1', 'jobs', cwd)), { status: 'unavailable', error: `job state \`${path}\` has no status` });
    writeFileSync(path, JSON.stringify({ status: 'stopping' }));
    assert.deepEqual(jobStopStateOf(readJobStateFile('job-1', 'jobs', cwd)), { status: 'unavailable', error: `job state \`${path}\` has unknown status \`stopping\`` });
    assert.deepEqual(safetyInvariantsOf(readJobStateFile('job-1', 'jobs', cwd)), { version: '', hash: '' });
    assert.deepEqual(jobStopStateOf(readJobStateFile('', 'jobs', cwd)), { status: 'none' });
  });

  it('jobStateReaderOnce reads each job once, so both views see one version of the file', () => {
    const { cwd, path } = jobRoot(JSON.stringify({ status: 'running', safety_invariant_hash: 'h1' }));
    const read = jobStateReaderOnce('jobs', cwd);
    assert.deepEqual(jobStopStateOf(read('job-1')), { status: 'running' });
    writeFileSync(path, JSON.stringify({ status: 'emergency_stopped', safety_invariant_hash: 'h2' }));
    assert.equal(safetyInvariantsOf(read('job-1')).hash, 'h1');
    assert.deepEqual(jobStopStateOf(jobStateReaderOnce('jobs', cwd)('job-1')), { status: 'stopped' }, 'the next request reads the file again');
  });
});
