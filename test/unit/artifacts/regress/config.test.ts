import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRegressConfig, parseRegressConfig } from '../../../../src/artifacts/regress/config.js';

describe('parseRegressConfig()', () => {
  it('reads real YAML (artifacts.md §10)', () => {
    const text = [
      '# comments are fine',
      'schema_id: gait.regress.config',
      'schema_version: 1.0.0',
      'fixture_set: nightly',
      'policy: policies/.gait.yaml',
      'fixtures:',
      '  - name: run_demo',
      '    run_id: run_demo',
      '    runpack: fixtures/run_demo/runpack.zip',
      '  - {name: "42", run_id: 42, runpack: fixtures/42/runpack.zip}',
      '',
    ].join('\n');
    assert.deepEqual(parseRegressConfig(text, 'gait.yaml'), {
      fixtureSet: 'nightly',
      policy: 'policies/.gait.yaml',
      fixtures: [
        { name: 'run_demo', runId: 'run_demo', runpack: 'fixtures/run_demo/runpack.zip' },
        { name: '42', runId: '42', runpack: 'fixtures/42/runpack.zip' },
      ],
    });
  });

  it('reads JSON, which is YAML', () => {
    const json = '{"fixture_set":"","fixtures":[{"name":"a","run_id":"r","runpack":"fixtures/a/runpack.zip"}]}';
    assert.deepEqual(parseRegressConfig(json, 'gait.yaml'), { fixtureSet: '', policy: '', fixtures: [{ name: 'a', runId: 'r', runpack: 'fixtures/a/runpack.zip' }] });
  });

  it('reads an empty file as no fixtures', () => {
    assert.deepEqual(parseRegressConfig('', 'gait.yaml'), { fixtureSet: '', policy: '', fixtures: [] });
  });

  it('rejects unknown keys with line and column', () => {
    assert.throws(() => parseRegressConfig('fixture_set: a\nfixturez: []\n', 'gait.yaml'), {
      code: 'artifact_invalid',
      message: 'cannot load regress config `gait.yaml`: line 2, column 1: unknown key `fixturez` (allowed: schema_id, schema_version, fixture_set, policy, fixtures)',
    });
    assert.throws(() => parseRegressConfig('fixtures:\n  - name: a\n    runpack: x.zip\n    candidate: y\n', 'gait.yaml'), {
      message: 'cannot load regress config `gait.yaml`: line 4, column 5: unknown key `fixtures[0].candidate` (allowed: name, run_id, runpack)',
    });
  });

  it('rejects other schema ids and versions, missing names and runpacks, duplicates and bad names', () => {
    assert.throws(() => parseRegressConfig('schema_id: gait.other\n', 'g.yaml'), /line 1, column 12: unsupported schema_id `gait.other` \(expected gait.regress.config\)/);
    assert.throws(() => parseRegressConfig('schema_version: 2.0.0\n', 'g.yaml'), /unsupported schema_version `2.0.0`/);
    assert.throws(() => parseRegressConfig('fixtures:\n  - runpack: a.zip\n', 'g.yaml'), /`fixtures\[0\].name` is required/);
    assert.throws(() => parseRegressConfig('fixtures:\n  - name: a\n', 'g.yaml'), /`fixtures\[0\].runpack` is required/);
    assert.throws(() => parseRegressConfig('fixtures:\n  - name: Bad\n    runpack: a\n', 'g.yaml'), /`fixtures\[0\].name` `Bad` is not a valid fixture name/);
    assert.throws(
      () => parseRegressConfig('fixtures:\n  - {name: a, runpack: x}\n  - {name: a, runpack: y}\n', 'g.yaml'),
      /line 3, column 5: duplicate fixture name `a`/,
    );
    assert.throws(() => parseRegressConfig('fixtures: {}\n', 'g.yaml'), /`fixtures` must be a list/);
    assert.throws(() => parseRegressConfig('- a\n', 'g.yaml'), /the file must be a mapping/);
  });

  it('reports YAML syntax errors with a position', () => {
    assert.throws(() => parseRegressConfig('fixtures: [\n', 'g.yaml'), (err: Error) => /^cannot load regress config `g.yaml`: line \d+, column \d+: /.test(err.message));
    assert.throws(() => parseRegressConfig('a: 1\na: 2\n', 'g.yaml'), /line 2, column 1: map keys must be unique/);
  });
});

describe('formatRegressConfig()', () => {
  it('writes the keys in §4.1 order, fixtures sorted by name, quoting what YAML would misread', () => {
    const text = formatRegressConfig({
      fixtureSet: '',
      policy: '.gait.yaml',
      fixtures: [
        { name: 'run_b', runId: '123', runpack: 'fixtures/run_b/runpack.zip' },
        { name: 'run_a', runId: 'run_a', runpack: 'fixtures/run_a/runpack.zip' },
      ],
    });
    assert.equal(
      text,
      [
        'schema_id: gait.regress.config',
        'schema_version: 1.0.0',
        'fixture_set: default',
        'policy: .gait.yaml',
        'fixtures:',
        '  - name: run_a',
        '    run_id: run_a',
        '    runpack: fixtures/run_a/runpack.zip',
        '  - name: run_b',
        '    run_id: "123"',
        '    runpack: fixtures/run_b/runpack.zip',
        '',
      ].join('\n'),
    );
    assert.deepEqual(parseRegressConfig(text, 'gait.yaml').fixtures[1], { name: 'run_b', runId: '123', runpack: 'fixtures/run_b/runpack.zip' });
  });

  it('writes an empty fixture list and leaves out an unset policy', () => {
    assert.equal(formatRegressConfig({ fixtureSet: 'x', policy: '', fixtures: [] }), 'schema_id: gait.regress.config\nschema_version: 1.0.0\nfixture_set: x\nfixtures: []\n');
  });
});
