/**
 * `gait gate eval` bad-input matrix (gate.md §A12.1, §A4.1, §A11, STYLE.md §4): each case exits 6 with a
 * message naming the file (and line:col where the parser knows it), and writes no trace, no dev key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gait, INTEGRATION, invalidInput, jsonLine, listTree, traceFiles, V4_PRIVATE_KEY, workspace } from './support.js';
import type { TestIo } from '../helpers/cli-io.js';

const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json'];
const INPUTS_ONLY = ['intent.json', 'policy.yaml'];
const INTENT_TEXT = readFileSync(join(INTEGRATION, 'intent.json'), 'utf8');

function withFile(name: string, content: string | Buffer): TestIo {
  const t = workspace();
  writeFileSync(join(t.cwd, name), content);
  return t;
}

/** Runs gate eval, expects exit 6 and an untouched workspace; returns the envelope. */
async function refused(t: TestIo, extra: readonly string[] = [], files: readonly string[] = INPUTS_ONLY): Promise<Record<string, unknown>> {
  const err = invalidInput(await gait(t, ...EVAL, ...extra));
  assert.deepEqual(listTree(t.cwd), [...files].sort());
  return err;
}

describe('gait gate eval: malformed files', () => {
  it('JSON syntax error in the intent: file:line:col', async () => {
    const err = await refused(withFile('intent.json', '{\n  "tool_name": "tool.write",\n  "args": {,}\n}\n'));
    assert.equal(err['error_reason'], 'input_json');
    assert.equal(err['error_location'], 'intent.json:3:12');
    assert.match(String(err['error']), /^intent\.json:3:12: cannot parse intent `intent\.json`: line 3, column 12: \S/);
  });

  it('truncated JSON intent points at the end', async () => {
    const err = await refused(withFile('intent.json', '{"tool_name": '));
    assert.equal(err['error_location'], 'intent.json:1:15');
  });

  it('YAML syntax error in the policy: file:line:col', async () => {
    const err = await refused(withFile('policy.yaml', 'default_verdict: allow\nrules:\n  - name: [\n'));
    assert.equal(err['error_reason'], 'policy_parse');
    assert.equal(err['error_location'], 'policy.yaml:4:1');
    assert.match(String(err['error']), /^policy\.yaml:4:1: parse policy yaml: \S/);
  });

  it('duplicate policy key (§A4.1 step 2)', async () => {
    const err = await refused(withFile('policy.yaml', 'default_verdict: allow\ndefault_verdict: block\n'));
    assert.equal(err['error'], 'policy.yaml:2:1: parse policy yaml: duplicate key `default_verdict`');
  });
});

describe('gait gate eval: unknown and misspelled policy fields', () => {
  const cases: readonly (readonly [string, string, string, string])[] = [
    ['top level', 'default_verdict: allow\nrulez: []\n', 'policy.yaml:2:1: parse policy yaml: unknown field `rulez`', 'did you mean `rules`?'],
    ['in a rule', 'rules:\n  - name: r\n    efect: block\n', 'policy.yaml:3:5: parse policy yaml: rules[0]: unknown field `efect`', 'did you mean `effect`?'],
    [
      'in a match',
      'rules:\n  - name: r1\n    priority: 1\n    effect: block\n    match:\n      tool_nmae: [tool.write]\n',
      'policy.yaml:6:7: parse policy yaml: rules[0].match: unknown field `tool_nmae`',
      'did you mean `tool_name`?',
    ],
  ];
  for (const [where, yaml, message, hint] of cases) {
    it(`names the field and its position ${where}`, async () => {
      const err = await refused(withFile('policy.yaml', yaml));
      assert.equal(err['error'], message);
      assert.equal(err['hint'], hint);
      assert.equal(err['error_reason'], 'policy_parse');
    });
  }
});

describe('gait gate eval: wrong types', () => {
  const policyCases: readonly (readonly [string, string])[] = [
    ['default_verdict: allow\nrules:\n  - name: r1\n    priority: high\n    effect: block\n', 'policy.yaml:4:15: parse policy yaml: rules[0].priority must be an integer'],
    ['rules:\n  - name: r\n    effect: block\n    match:\n      tool_names: tool.write\n', 'policy.yaml:5:19: parse policy yaml: rules[0].match.tool_names must be a list of strings'],
    ['rules: {}\n', 'policy.yaml:1:8: parse policy yaml: rules must be a list of mappings'],
    ['just a string\n', 'policy.yaml:1:1: parse policy yaml: policy must be a mapping at the top level'],
    ['default_verdict: permit\n', 'policy.yaml:1:18: invalid default verdict "permit" (expected allow|block|dry_run|require_approval)'],
  ];
  for (const [yaml, message] of policyCases) {
    it(`policy: ${message.replace(/^policy\.yaml:\d+:\d+: /, '')}`, async () => {
      assert.equal((await refused(withFile('policy.yaml', yaml)))['error'], message);
    });
  }

  const context = { identity: 'a', workspace: '/w', risk_class: 'low' };
  const intentCases: readonly (readonly [unknown, string])[] = [
    [{ tool_name: 'tool.write', args: 'x', context }, 'intent.json: args must be an object'],
    [{ tool_name: 42, args: {}, context }, 'intent.json: tool_name must be a string'],
    [{ tool_name: 'tool.write', targets: 'nope', context }, 'intent.json: targets must be an array'],
    [[1, 2], 'intent.json: intent must be a JSON object'],
  ];
  for (const [intent, message] of intentCases) {
    it(`intent: ${message}`, async () => {
      const err = await refused(withFile('intent.json', JSON.stringify(intent)));
      assert.equal(err['error'], message);
      assert.equal(err['error_reason'], 'input_intent');
      assert.equal(err['error_location'], 'intent.json');
    });
  }
});

describe('gait gate eval: empty, oversized and non-UTF-8 files', () => {
  it('empty and whitespace-only files', async () => {
    assert.equal((await refused(withFile('intent.json', '')))['error'], 'cannot read intent `intent.json`: file is empty');
    assert.equal((await refused(withFile('intent.json', ' \n\t\n')))['error'], 'cannot read intent `intent.json`: file contains only whitespace');
    const policy = await refused(withFile('policy.yaml', ''));
    assert.equal(policy['error'], 'cannot read policy `policy.yaml`: file is empty');
    assert.equal(policy['error_reason'], 'input_empty');
  });

  it('refuses an intent one byte over the 1 MiB cap and accepts one exactly at it', async () => {
    const over = await refused(withFile('intent.json', INTENT_TEXT + ' '.repeat(1_048_577 - Buffer.byteLength(INTENT_TEXT))));
    assert.equal(over['error'], 'cannot read intent `intent.json`: file is 1048577 bytes, over the 1048576-byte limit');
    assert.equal(over['error_reason'], 'input_too_large');
    const at = withFile('intent.json', INTENT_TEXT + ' '.repeat(1_048_576 - Buffer.byteLength(INTENT_TEXT)));
    assert.equal((await gait(at, ...EVAL, '--private-key', V4_PRIVATE_KEY)).code, 3);
  });

  it('honours --max-input-bytes and validates its value', async () => {
    const t = workspace();
    const capped = await refused(t, ['--max-input-bytes', '100']);
    assert.equal(capped['error'], 'cannot read policy `policy.yaml`: file is 325 bytes, over the 100-byte limit');
    for (const bad of ['0', '-5', 'abc', '1.5']) {
      assert.equal((await refused(t, ['--max-input-bytes', bad]))['error'], `invalid --max-input-bytes \`${bad}\`: expected a positive integer`);
    }
  });

  it('invalid UTF-8 in the policy names the byte offset', async () => {
    const bytes = Buffer.concat([Buffer.from('default_verdict: allow\n# '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    const err = await refused(withFile('policy.yaml', bytes));
    assert.equal(err['error'], 'cannot read policy `policy.yaml`: invalid UTF-8 at byte offset 25');
    assert.equal(err['error_reason'], 'input_encoding');
  });

  it('invalid UTF-8 outside any JSON string in the intent', async () => {
    const err = await refused(withFile('intent.json', Buffer.concat([Buffer.from('{"a":1}'), Buffer.from([0xff])])));
    assert.equal(err['error'], 'cannot read intent `intent.json`: invalid UTF-8 at byte offset 7');
  });
});

describe('gait gate eval: key files (§A11)', () => {
  const key = ['--key-mode', 'prod', '--private-key'];

  it('a missing key file and a directory', async () => {
    const missing = await refused(workspace(), [...key, 'nokey.key']);
    assert.equal(missing['error'], 'cannot read private key `nokey.key`: no such file');
    const dirWs = workspace();
    mkdirSync(join(dirWs.cwd, 'kd'));
    const dir = await refused(dirWs, [...key, 'kd'], [...INPUTS_ONLY, 'kd']);
    assert.equal(dir['error'], 'cannot read private key `kd`: is a directory');
  });

  it('an unreadable key file', { skip: process.getuid?.() === 0 ? 'root reads mode-000 files' : false }, async () => {
    const t = withFile('k.key', readFileSync(V4_PRIVATE_KEY));
    chmodSync(join(t.cwd, 'k.key'), 0o000);
    const err = await refused(t, [...key, 'k.key'], [...INPUTS_ONLY, 'k.key']);
    assert.equal(err['error'], 'cannot read private key `k.key`: permission denied');
  });

  for (const n of [32, 63, 65]) {
    it(`a key of ${n} bytes: \`invalid private key length: ${n}\``, async () => {
      const t = withFile('k.key', `${Buffer.alloc(n, 7).toString('base64')}\n`);
      const err = await refused(t, [...key, 'k.key'], [...INPUTS_ONLY, 'k.key']);
      assert.equal(err['error'], `private key \`k.key\`: invalid private key length: ${n}`);
      assert.equal(err['error_reason'], 'sig_key_invalid');
    });
  }

  it('a key that is not base64', async () => {
    const err = await refused(withFile('k.key', 'not base64!!\n'), [...key, 'k.key'], [...INPUTS_ONLY, 'k.key']);
    assert.equal(err['error'], 'private key `k.key`: invalid private key encoding: expected standard base64');
  });
});

describe('gait gate eval: usage errors', () => {
  it('missing --policy or --intent', async () => {
    const t = workspace();
    for (const args of [['--intent', 'intent.json'], ['--policy', 'policy.yaml'], []]) {
      const err = invalidInput(await gait(t, 'gate', 'eval', ...args, '--json'));
      assert.equal(err['error'], 'both --policy and --intent are required');
      assert.equal(err['hint'], 'check command usage and input schema');
    }
    assert.deepEqual(listTree(t.cwd), INPUTS_ONLY);
  });

  it('an unknown flag and an unexpected positional', async () => {
    const t = workspace();
    assert.equal((await refused(t, ['--bogus']))['error'], "unknown option '--bogus'");
    assert.match(String((await refused(t, ['extra.json']))['error']), /^too many arguments/);
  });

  it('a refused Part B flag names the feature (phase rule)', async () => {
    const err = await refused(workspace(), ['--kill-switch-state', 'ks.json']);
    assert.equal(err['error'], 'flag `--kill-switch-state` is not supported yet: the kill switch (gate.md §B7)');
    assert.equal(err['error_reason'], 'input_unsupported_feature');
  });

  it(
    'a misspelled flag gives a one-line message (STYLE.md §4)',
    async () => {
      const err = await refused(workspace(), ['--polcy', 'policy.yaml']);
      assert.equal(String(err['error']).includes('\n'), false);
    },
  );

  it(
    'human usage errors are labelled `gate eval error:` (§A12.3)',
    async () => {
      const run = await gait(workspace(), 'gate', 'eval', '--bogus');
      assert.equal(run.code, 6);
      assert.match(run.stderr, /^gate eval error: unknown option '--bogus'\n/);
    },
  );
});

describe('gait gate eval: strings that are not Unicode are refused (ADR 0005)', () => {
  it('refuses a lone-surrogate escape with exit 6 and writes nothing', async () => {
    const t = withFile('intent.json', INTENT_TEXT.replace('/tmp/out.txt', '/tmp/out\\ud800.txt'));
    const run = await gait(t, ...EVAL, '--private-key', V4_PRIVATE_KEY);
    assert.equal(run.code, 6);
    assert.match(String(jsonLine(run)['error']), /lone surrogate/);
    assert.deepEqual(traceFiles(t.cwd), []);
  });

  it('refuses invalid UTF-8 inside a string with exit 6 and writes nothing', async () => {
    const [head, tail] = INTENT_TEXT.split('/tmp/out.txt') as [string, string];
    const t = withFile('intent.json', Buffer.concat([Buffer.from(`${head}/tmp/out`), Buffer.from([0xff]), Buffer.from(`.txt${tail}`)]));
    const run = await gait(t, ...EVAL, '--private-key', V4_PRIVATE_KEY);
    assert.equal(run.code, 6);
    assert.equal(jsonLine(run)['error_reason'], 'input_encoding');
    assert.deepEqual(traceFiles(t.cwd), []);
  });
});
