/**
 * Figure 4: `gait gate eval` as a whole process (start-up, policy and intent load, evaluation,
 * signing, trace write, JSON output) against `node -e 0`, the floor any Node CLI pays. Both run
 * the same number of times, interleaved, from a temporary working directory that is removed
 * afterwards, so nothing lands in the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { mean, median, percentile, sig } from './stats.js';
import { EXPECTED, POLICY_YAML, RAW_INTENT } from './workloads.js';

export interface ProcessOptions {
  /** timed runs of each command */
  readonly runs: number;
  /** untimed runs of each command first */
  readonly warmups: number;
  readonly progress: (line: string) => void;
}

export interface ProcessStats {
  readonly name: string;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly runs: number;
}

/** The built CLI; `npm run bench` builds it first. */
export const CLI_BIN = fileURLToPath(new URL('../dist/gait.mjs', import.meta.url));

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  /** throws when the run did not do what is being measured */
  readonly check: (status: number | null, stdout: string, stderr: string) => void;
}

/** The children's environment: ours minus NODE_OPTIONS, so neither side loads extra hooks. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  return env;
}

function runOnce(cmd: Command, cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, cmd.args, { cwd, env, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (r.error !== undefined) throw r.error;
  cmd.check(r.status, r.stdout, r.stderr);
  return elapsed;
}

function summarize(name: string, times: readonly number[]): ProcessStats {
  return {
    name,
    meanMs: mean(times),
    medianMs: median(times),
    p95Ms: percentile(times, 95),
    minMs: Math.min(...times),
    runs: times.length,
  };
}

/** Writes the policy and intent, and creates a key pair with `gait keys init`. */
function prepare(dir: string, env: NodeJS.ProcessEnv): string {
  writeFileSync(join(dir, 'policy.yaml'), POLICY_YAML);
  writeFileSync(join(dir, 'intent.json'), `${JSON.stringify(RAW_INTENT, null, 2)}\n`);
  const keys = spawnSync(process.execPath, [CLI_BIN, 'keys', 'init', '--out-dir', join(dir, 'keys'), '--json'], { cwd: dir, env, encoding: 'utf8' });
  if (keys.status !== 0) throw new Error(`gait keys init failed (exit ${String(keys.status)}): ${keys.stderr}${keys.stdout}`);
  const out = JSON.parse(keys.stdout) as { private_key_path?: unknown };
  if (typeof out.private_key_path !== 'string') throw new Error(`gait keys init: no private_key_path in ${keys.stdout}`);
  return out.private_key_path;
}

function gateEvalCommand(privateKeyPath: string): Command {
  return {
    name: 'gait gate eval (process)',
    args: [
      CLI_BIN, 'gate', 'eval',
      '--policy', 'policy.yaml',
      '--intent', 'intent.json',
      '--trace-out', 'trace.json',
      '--private-key', privateKeyPath,
      '--json',
    ],
    check: (status, stdout, stderr) => {
      if (status !== 0) throw new Error(`gait gate eval exited ${String(status)}: ${stderr}${stdout}`);
      const out = JSON.parse(stdout) as { verdict?: unknown };
      if (out.verdict !== EXPECTED.verdict) throw new Error(`gait gate eval: unexpected verdict in ${stdout}`);
    },
  };
}

const NODE_NOOP: Command = {
  name: 'node -e 0 (process)',
  args: ['-e', '0'],
  check: (status, _stdout, stderr) => {
    if (status !== 0) throw new Error(`node -e 0 exited ${String(status)}: ${stderr}`);
  },
};

function row(s: ProcessStats, role: Row['role']): Row {
  return { figure: '4', operation: s.name, role, p50: s.medianMs, mean: s.meanMs, unit: 'ms', opsPerSec: 1000 / s.meanMs, samples: s.runs };
}

/** Figure 4: whole-process `gait gate eval` vs `node -e 0`. */
export function processFigure(options: ProcessOptions): FigureResult {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'gait-bench-'));
  try {
    const env = childEnv();
    const gate = gateEvalCommand(prepare(dir, env));
    const times = new Map<string, number[]>([[gate.name, []], [NODE_NOOP.name, []]]);
    for (let i = 0; i < options.warmups; i++) for (const cmd of [gate, NODE_NOOP]) runOnce(cmd, dir, env);
    for (let i = 0; i < options.runs; i++) {
      if (i % 5 === 0) options.progress(`figure 4 process: run ${i + 1}/${options.runs}`);
      // Alternate which command goes first so neither always runs on a just-warmed page cache.
      for (const cmd of i % 2 === 0 ? [gate, NODE_NOOP] : [NODE_NOOP, gate]) times.get(cmd.name)!.push(runOnce(cmd, dir, env));
    }
    const o = summarize(gate.name, times.get(gate.name)!);
    const b = summarize(NODE_NOOP.name, times.get(NODE_NOOP.name)!);
    const ratio = check('gate eval median ÷ node -e 0 median', o.medianMs / b.medianMs, '×', { max: 2.5 });
    const meanRatio = check('gate eval mean ÷ node -e 0 mean', o.meanMs / b.meanMs, '×');
    const text = (label: string, s: ProcessStats): string => `${label} mean=${sig(s.meanMs)}ms median=${sig(s.medianMs)}ms`;
    return {
      id: 'gate_eval_process',
      title: '`gait gate eval` process vs `node -e 0`',
      summary: `${text('gate eval', o)} | ${text('node -e 0', b)} | ratio ${sig(ratio.value)}× (target ≤2.5×) ${ratio.verdict}`,
      checks: [ratio, meanRatio],
      rows: [row(o, 'ours'), row(b, 'baseline')],
      details: { ours: o, baseline: b, addedMedianMs: o.medianMs - b.medianMs, runs: options.runs, warmups: options.warmups },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
