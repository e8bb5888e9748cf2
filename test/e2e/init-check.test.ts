/** `gait init` and `gait check` in-process (artifacts.md §7). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, jsonLine, modeOf } from './support.js';

const CONTRACT = {
  legacy_policy_scaffold_path: 'gait.policy.yaml',
  project_defaults_path: '.gait/config.yaml',
  regress_config_path: 'gait.yaml',
  repo_policy_path: '.gait.yaml',
};

/** A repository using MCP and OpenAI, with recorded intents for three tools. */
function agentRepo(): TestIo {
  const t = makeTestIo();
  writeFileSync(join(t.cwd, 'package.json'), JSON.stringify({ dependencies: { '@modelcontextprotocol/sdk': '1.0.0' }, devDependencies: { openai: '4.0.0' } }));
  writeFileSync(join(t.cwd, 'requirements.txt'), 'crewai>=0.1\nrequests\n');
  mkdirSync(join(t.cwd, 'intents'));
  writeFileSync(join(t.cwd, 'intents/read.json'), JSON.stringify({ tool_name: 'FS.Read_File' }));
  writeFileSync(join(t.cwd, 'intents/delete.json'), JSON.stringify({ tool_name: 'fs.delete' }));
  writeFileSync(join(t.cwd, 'intents/recorded.jsonl'), `${JSON.stringify({ intent_id: 'intent_1', intent: { tool_name: 'frob' } })}\n`);
  mkdirSync(join(t.cwd, 'node_modules/x'), { recursive: true });
  writeFileSync(join(t.cwd, 'node_modules/x/i.json'), JSON.stringify({ tool_name: 'ignored.tool' }));
  return t;
}

describe('gait init', () => {
  it('scans the repository and writes .gait.yaml with a header above the template', async () => {
    const t = agentRepo();
    const run = await gait(t, 'init', '--template', 'medium', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      contract: CONTRACT,
      correlation_id: 'cid-test',
      detected_signals: ['framework:crewai', 'framework:mcp', 'framework:openai', 'tool:frob', 'tool:fs.delete', 'tool:fs.read_file'],
      detection: { frameworks: ['crewai', 'mcp', 'openai'], tool_names: ['frob', 'fs.delete', 'fs.read_file'] },
      generated_rules: [
        { because: 'delete', effect: 'block', name: 'block-fs-delete', tool_name: 'fs.delete' },
        { because: 'read', effect: 'allow', name: 'allow-fs-read-file', tool_name: 'fs.read_file' },
      ],
      next_commands: ['gait check --policy .gait.yaml --json', 'gait policy validate .gait.yaml --json', 'gait doctor --json'],
      ok: true,
      policy_path: '.gait.yaml',
      template: 'baseline-mediumrisk',
      unknown_signals: ['tool:frob'],
    });
    const text = readFileSync(join(t.cwd, '.gait.yaml'), 'utf8');
    assert.equal(
      text.split('\n').slice(0, 13).join('\n'),
      [
        '# gait policy, written by `gait init` from template baseline-mediumrisk.',
        '# Files of a gait project:',
        '#   repo policy (this file):  .gait.yaml',
        '#   project defaults:         .gait/config.yaml',
        '#   regress config:           gait.yaml',
        '# Detected frameworks: crewai, mcp, openai',
        '# Detected tools: frob, fs.delete, fs.read_file',
        '# Starter-rule suggestions (not active: add them under `rules:` to use them):',
        '#   - block fs.delete (name contains "delete")',
        '#   - allow fs.read_file (name contains "read")',
        '# Review by hand (the name says nothing about risk): tool:frob',
        '# Validate with `gait check` and `gait policy validate .gait.yaml`.',
        '',
      ].join('\n'),
    );
    assert.equal(modeOf(join(t.cwd, '.gait.yaml')), 0o644);
    // the written file is a valid policy
    assert.equal((await gait(t, 'policy', 'validate', '.gait.yaml')).code, 0);
  });

  it('defaults to baseline-highrisk and says it needs features this build does not evaluate yet', async () => {
    const t = makeTestIo();
    const run = await gait(t, 'init');
    assert.equal(run.code, 0);
    assert.equal(
      run.stdout,
      'init ok: policy=.gait.yaml template=baseline-highrisk\n' +
        'warning: template baseline-highrisk enables features not supported yet (7 rule features); gate eval refuses this policy until they are; use --template baseline-mediumrisk to evaluate now\n' +
        'next: gait check --policy .gait.yaml --json | gait policy validate .gait.yaml --json | gait doctor --json\n',
    );
  });

  it('refuses to overwrite without --force (exit 6) and rejects unknown templates', async () => {
    const t = makeTestIo();
    assert.equal((await gait(t, 'init', '--template', 'low')).code, 0);
    const again = await gait(t, 'init', '--json');
    assert.equal(again.code, 6);
    assert.equal(jsonLine(again)['error'], 'policy file already exists (use --force): .gait.yaml');
    assert.equal((await gait(t, 'init', '--force', '--template', 'baseline_medium_risk')).code, 0);
    const bad = jsonLine(await gait(t, 'init', '--template', 'extreme', '--out', 'x.yaml', '--json'));
    assert.equal(bad['error'], 'unknown template `extreme`: expected one of baseline-lowrisk, baseline-mediumrisk, baseline-highrisk');
  });
});

describe('gait check', () => {
  it('reports findings and gap warnings against the repository scan', async () => {
    const t = agentRepo();
    assert.equal((await gait(t, 'init', '--template', 'medium')).code, 0);
    const run = await gait(t, 'check', '--json');
    assert.equal(run.code, 0);
    const json = jsonLine(run);
    assert.equal(json['default_verdict'], 'require_approval');
    assert.equal(json['rule_count'], 3);
    assert.deepEqual((json['findings'] as { code: string }[]).map((f) => f.code), ['fail_closed_disabled']);
    assert.deepEqual(json['gap_warnings'], [
      'tool frob is not named by any rule (falls to default_verdict=require_approval unless another match applies)',
      'tool fs.delete is not named by any rule (falls to default_verdict=require_approval unless another match applies)',
      'tool fs.read_file is not named by any rule (falls to default_verdict=require_approval unless another match applies)',
    ]);
    assert.equal(json['summary'], 'policy ok: default_verdict=require_approval rules=3 findings=1 gap_warnings=3');
    assert.deepEqual(json['contract'], CONTRACT);
    const text = await gait(t, 'check');
    assert.equal(text.stdout.split('\n')[0], 'check ok: policy=.gait.yaml rules=3 warnings=4');
  });

  it('flags a default-allow policy without fail_closed', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'p.yaml'), 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\n');
    const json = jsonLine(await gait(t, 'check', '--policy', 'p.yaml', '--json'));
    assert.deepEqual(
      (json['findings'] as { code: string }[]).map((f) => f.code),
      ['default_verdict_allow', 'no_rules', 'fail_closed_disabled'],
    );
  });

  it('exits 6 for an invalid or missing policy', async () => {
    const t = makeTestIo();
    assert.equal((await gait(t, 'check', '--json')).code, 6);
    writeFileSync(join(t.cwd, '.gait.yaml'), 'default_verdict: maybe\n');
    assert.equal((await gait(t, 'check', '--json')).code, 6);
  });
});
