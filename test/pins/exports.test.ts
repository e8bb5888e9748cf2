/**
 * Pins the public surface: the package.json `exports` map, the root entry's named exports, the
 * `gait/node` entry, and that the root entry never loads process or network modules (STYLE.md §2).
 * A red pin means "change deliberately": update this list, the README and the changelog together.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();

describe('package exports', () => {
  it('maps exactly ".", "./node", "./http" and "./package.json", with a gait bin', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(pkg['exports'], {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './node': { types: './dist/node.d.ts', default: './dist/node.js' },
      './http': { types: './dist/transports/http/index.d.ts', default: './dist/transports/http/index.js' },
      './package.json': './package.json',
    });
    assert.deepEqual(pkg['bin'], { gait: 'dist/gait.mjs' });
    assert.equal(pkg['type'], 'module');
    assert.equal(pkg['sideEffects'], false);
  });

  it('root entry exports exactly the documented runtime names', async () => {
    const mod = (await import('../../src/index.js')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(mod).sort(), [
      'GaitError',
      'buildDecisionEvent',
      'buildPack',
      'buildRunpack',
      'canonicalize',
      'createMemoryLedger',
      'decodeToolCall',
      'diffRunpacks',
      'digestJcs',
      'encodePrivateKey',
      'encodePublicKey',
      'evaluate',
      'fixedClock',
      'formatTimestamp',
      'gateEval',
      'generateKeyPair',
      'isGaitError',
      'keyIdOf',
      'loadPolicy',
      'mintApproval',
      'mostRestrictive',
      'parseContextEnvelope',
      'parseIntent',
      'parsePrivateKey',
      'parsePublicKey',
      'parseRunpackInput',
      'parseTimestamp',
      'readRunpack',
      'recordRunpack',
      'runRegress',
      'signTrace',
      'systemClock',
      'toDecisionLogJson',
      'verifyApproval',
      'verifyKeyOf',
      'verifyPack',
      'verifyRunpack',
      'verifyTrace',
    ]);
  });

  it('gait/node exports exactly the file and key helpers', async () => {
    const mod = (await import('../../src/node.js')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(mod).sort(), ['createDecisionService', 'createJsonlExporter', 'createOtlpExporter', 'loadPolicyFile', 'loadSigningKey', 'loadVerifyKey', 'openApprovalLedger', 'readIntentFile', 'readJsonlFile', 'readRunpackFile', 'readTraceFile', 'recordRunpackFile', 'resolveOtlpConfig', 'runRegressConfig', 'verifyRunpackFile', 'writeTraceFile']);
  });
});

/** Built-in modules a fresh node loads after importing `specifier`, minus those `node -e 0` loads. */
function builtinsLoadedBy(specifier: string): string[] {
  const script = (body: string): string[] => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', body], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as string[];
  };
  const dump = "process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))))";
  const baseline = new Set(script(dump));
  return script(`await import(${JSON.stringify(specifier)}); ${dump}`).filter((m) => !baseline.has(m));
}

describe('root entry purity', () => {
  it('importing the built root entry loads no child_process, net, http or fs/promises', () => {
    const loaded = builtinsLoadedBy(join(ROOT, 'dist/index.js'));
    const banned = loaded.filter((m) => /^NativeModule (child_process|net|http|https|dgram|worker_threads|fs\/promises)$/.test(m));
    assert.deepEqual(banned, []);
  });
});
