import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, renderJunit } from '../../../../src/artifacts/regress/junit.js';
import type { GraderResult } from '../../../../src/artifacts/regress/types.js';

function result(fixture: string, grader: GraderResult['grader'], status: 'pass' | 'fail', reasonCodes: string[]): GraderResult {
  return { name: `${fixture}/${grader}`, fixture, grader, status, reasonCodes, details: {} };
}

describe('renderJunit()', () => {
  it('writes the exact artifacts.md §4.4 bytes for passing and failing graders', () => {
    const text = renderJunit('default', [
      result('run_demo', 'expected_exit_code', 'pass', []),
      result('run_demo', 'gate_replay', 'fail', ['unexpected_reason_codes', 'unexpected_verdict']),
      result('run_demo', 'schema_validation', 'pass', []),
    ]);
    assert.equal(
      text,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites tests="3" failures="1" errors="0" skipped="0" time="0">',
        '  <testsuite name="gait.regress.default" tests="3" failures="1" errors="0" skipped="0" time="0">',
        '    <testcase name="expected_exit_code" classname="run_demo" time="0"></testcase>',
        '    <testcase name="gate_replay" classname="run_demo" time="0">',
        '      <failure message="unexpected_reason_codes,unexpected_verdict" type="regress_failure">unexpected_reason_codes,unexpected_verdict</failure>',
        '    </testcase>',
        '    <testcase name="schema_validation" classname="run_demo" time="0"></testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('names the suite gait.regress for an empty fixture set and writes `failed` for a failure without reasons', () => {
    const text = renderJunit('', [result('a', 'trajectory', 'fail', [])]);
    assert.equal(
      text,
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<testsuites tests="1" failures="1" errors="0" skipped="0" time="0">\n' +
        '  <testsuite name="gait.regress" tests="1" failures="1" errors="0" skipped="0" time="0">\n' +
        '    <testcase name="trajectory" classname="a" time="0">\n' +
        '      <failure message="failed" type="regress_failure">failed</failure>\n' +
        '    </testcase>\n' +
        '  </testsuite>\n' +
        '</testsuites>\n',
    );
  });

  it('writes an empty suite for no graders', () => {
    assert.equal(
      renderJunit('ci', []),
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="0" failures="0" errors="0" skipped="0" time="0">\n' +
        '  <testsuite name="gait.regress.ci" tests="0" failures="0" errors="0" skipped="0" time="0">\n  </testsuite>\n</testsuites>\n',
    );
  });
});

describe('escapeXml()', () => {
  it('escapes as Go encoding/xml EscapeText does', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f\tg\nh\ri`), 'a&amp;b&lt;c&gt;d&#34;e&#39;f&#x9;g&#xA;h&#xD;i');
  });

  it('replaces characters XML cannot carry with U+FFFD and keeps astral characters', () => {
    assert.equal(escapeXml('x\u0001y\uFFFEz😀'), 'x\uFFFDy\uFFFDz😀');
  });
});
