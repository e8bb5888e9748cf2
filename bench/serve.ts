/**
 * `gait mcp serve` under load (issue 5 "Performance"): the built CLI serving in a child process on
 * loopback, driven by autocannon from this (second) process, beside a bare `node:http` server in
 * another child that answers a fixed JSON body of the same size, in the same run. Per server: a
 * warm-up, a max-throughput run and a fixed-rate run (default 1,000 req/s), each `--serve-seconds`
 * long (default 30) at 50 connections: max throughput with autocannon, the fixed rate with an evenly
 * paced open-loop client (`pacedLoad`). Latencies are the clients' own high-resolution response times
 * (autocannon's histogram has 1 ms resolution); RSS is read from the child's /proc status.
 *
 * Targets: p99 added latency (gait p99 − bare p99 at the fixed rate) ≤ 0.5 ms, zero errors and non-2xx,
 * RSS growth after warm-up ≤ 10 %. gait runs three times (see `variants`); each variant runs alone,
 * then the bare server.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePrivateKey, generateSigningKey } from '../src/crypto/keys.js';
import { systemRandom } from '../src/runtime/random.js';
import { MCP_POLICY_YAML } from './mcp.js';
import { CLI_BIN } from './process.js';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { mean, percentile, sig } from './stats.js';

const require = createRequire(import.meta.url);

export interface ServeBenchOptions {
  /** seconds per measured run (`--serve-seconds`, env GAIT_BENCH_SERVE_SECONDS; default 30) */
  readonly seconds: number;
  readonly connections: number;
  /** requests per second of the fixed-rate run */
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly progress: (line: string) => void;
  /** how to run the CLI (default: the built bundle `dist/gait.mjs`) */
  readonly cli?: readonly string[];
}

/** The "evaluate tool call" workload of mcp-and-export.md §11 (figure 6's policy), as a serve request. */
export const SERVE_POLICY = MCP_POLICY_YAML;

export const SERVE_REQUEST = JSON.stringify({
  call: {
    name: 'tool.write',
    args: { path: '/tmp/out.txt' },
    targets: [{ kind: 'path', value: '/tmp/out.txt' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    context: { identity: 'bench-user', workspace: '/tmp/workspace', risk_class: 'high', session_id: 'bench' },
  },
});

interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
}

/** Waits for the child's first stdout line that names a port. */
function waitForPort(child: ChildProcess, parse: (line: string) => number | undefined): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString('utf8');
      for (const line of buffer.split('\n')) {
        const port = parse(line);
        if (port !== undefined) resolvePort(port);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${String(code)}): ${stderr}`)));
  });
}

const BARE_SERVER = `
import { createServer } from 'node:http';
const body = process.env.BARE_BODY;
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  return env;
}

async function startGait(dir: string, variant: Variant, cli: readonly string[]): Promise<Server> {
  const { traceDir, label } = variant;
  const child = spawn(
    process.execPath,
    [
      ...cli,
      'mcp',
      'serve',
      '--policy',
      'policy.yaml',
      '--listen',
      '127.0.0.1:0',
      '--json',
      '--key-mode',
      'prod',
      '--private-key',
      'bench.key',
      '--trace-dir',
      traceDir,
      '--trace-max-count',
      '2000',
      '--max-concurrent',
      '256',
      '--trace-sync',
      variant.traceSync,
    ],
    { cwd: dir, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await waitForPort(child, (line) => {
    const m = /"listen":"127\.0\.0\.1:(\d+)"/.exec(line);
    return m === null ? undefined : Number(m[1]);
  });
  return { name: `gait mcp serve (${label})`, child, port };
}

async function startBare(body: string): Promise<Server> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE_SERVER], { env: childEnv({ BARE_BODY: body }), stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await waitForPort(child, (line) => {
    const m = /^\{"port":(\d+)\}$/.exec(line.trim());
    return m === null ? undefined : Number(m[1]);
  });
  return { name: 'bare node:http', child, port };
}

/** Resident set size of a child in bytes (Linux /proc), or NaN elsewhere. */
function rssOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? Number.NaN : Number(m[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  /** socket errors + timeouts + non-2xx responses */
  readonly errors: number;
  readonly non2xx: number;
}

interface AutocannonResult {
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly duration: number;
}

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}

type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

function load(port: number, seconds: number, connections: number): Promise<LoadResult> {
  const autocannon = require('autocannon') as Autocannon;
  const times: number[] = [];
  return new Promise((resolveLoad, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/v1/evaluate`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: SERVE_REQUEST,
        connections,
        duration: seconds,
      },
      (err, result) => {
        if (err !== null) {
          reject(err);
          return;
        }
        const sorted = times.sort((a, b) => a - b);
        resolveLoad({
          requests: sorted.length,
          seconds: result.duration,
          throughput: sorted.length / result.duration,
          p50: sorted.length === 0 ? Number.NaN : percentile(sorted, 50),
          p99: sorted.length === 0 ? Number.NaN : percentile(sorted, 99),
          mean: sorted.length === 0 ? Number.NaN : mean(sorted),
          errors: result.errors + result.timeouts + result.non2xx,
          non2xx: result.non2xx,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    });
  });
}

/**
 * An open-loop client at a fixed rate: one request every `1000 / rate` ms (due requests are sent
 * together when a timer fires late), over up to `connections` keep-alive sockets. autocannon's
 * `overallRate` sends each second's quota as one burst at full speed, which measures a burst, not a
 * rate. Latency runs from the moment a request is issued (queueing for a socket included) to the
 * end of its response.
 */
export function pacedLoad(port: number, seconds: number, connections: number, rate: number, request = SERVE_REQUEST): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const body = Buffer.from(request);
  const total = Math.round(seconds * rate);
  const intervalNs = 1e9 / rate;
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  return new Promise((resolveLoad) => {
    const finish = (): void => {
      done += 1;
      if (done < total) return;
      agent.destroy();
      const sorted = times.sort((a, b) => a - b);
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      resolveLoad({
        requests: sorted.length,
        seconds: elapsed,
        throughput: sorted.length / elapsed,
        p50: sorted.length === 0 ? Number.NaN : percentile(sorted, 50),
        p99: sorted.length === 0 ? Number.NaN : percentile(sorted, 99),
        mean: sorted.length === 0 ? Number.NaN : mean(sorted),
        errors: errors + non2xx,
        non2xx,
      });
    };
    const fire = (): void => {
      const started = process.hrtime.bigint();
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/v1/evaluate', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) times.push(Number(process.hrtime.bigint() - started) / 1e6);
            else non2xx += 1;
            finish();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        finish();
      });
      req.end(body);
    };
    const tick = (): void => {
      const now = Number(process.hrtime.bigint() - t0);
      while (sent < total && sent * intervalNs <= now) {
        sent += 1;
        fire();
      }
      if (sent < total) setTimeout(tick, Math.max(0, (sent * intervalNs - now) / 1e6));
    };
    tick();
  });
}

interface ServerFigures {
  readonly max: LoadResult;
  readonly fixed: LoadResult;
  /** RSS after the warm-up (a short max-throughput run) */
  readonly rssWarm: number;
  /** RSS sampled once a second during the max-throughput run */
  readonly rssSamples: readonly number[];
  /** mean of the last five samples over the mean of the first five, in percent: drift under constant load */
  readonly rssDriftPercent: number;
  /** RSS after the fixed-rate run */
  readonly rssEnd: number;
}

function drift(samples: readonly number[]): number {
  const k = Math.max(1, Math.min(5, Math.floor(samples.length / 3)));
  const first = mean(samples.slice(0, k));
  return ((mean(samples.slice(-k)) - first) / first) * 100;
}

async function measure(server: Server, options: ServeBenchOptions): Promise<ServerFigures> {
  options.progress(`serve: ${server.name}: warm-up ${options.warmupSeconds} s`);
  await load(server.port, options.warmupSeconds, options.connections);
  const rssWarm = rssOf(server.child.pid);
  options.progress(`serve: ${server.name}: max throughput, ${options.seconds} s at ${options.connections} connections`);
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssOf(server.child.pid)), 1000);
  const max = await load(server.port, options.seconds, options.connections);
  clearInterval(sampler);
  rssSamples.push(rssOf(server.child.pid));
  options.progress(`serve: ${server.name}: ${options.rate} req/s, ${options.seconds} s at ${options.connections} connections`);
  const fixed = await pacedLoad(server.port, options.seconds, options.connections, options.rate);
  return { max, fixed, rssWarm, rssSamples, rssDriftPercent: drift(rssSamples), rssEnd: rssOf(server.child.pid) };
}

function stop(server: Server): Promise<void> {
  return new Promise((resolveStop) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      resolveStop();
      return;
    }
    server.child.once('exit', () => resolveStop());
    server.child.kill('SIGTERM');
  });
}

function row(operation: string, role: Row['role'], r: LoadResult): Row {
  return { figure: '7', operation, role, p50: r.p50, mean: r.mean, unit: 'ms', opsPerSec: r.throughput, samples: r.requests };
}

/** One gait response, fetched once, so the bare server answers a body of the same size. */
async function sampleBody(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: SERVE_REQUEST });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"verdict":"allow"')) throw new Error(`gait mcp serve answered ${res.status}: ${text}`);
  return text;
}

interface Variant {
  readonly label: string;
  readonly traceDir: string;
  /** `--trace-sync` (ADR 0012) */
  readonly traceSync: 'always' | 'batched';
}

/**
 * Where traces go and how they are synced: the default (`batched`: written before the answer,
 * fsynced within 100 ms) on the temp directory (normally a disk) and, where there is one, on tmpfs
 * (`/dev/shm`, no fsync cost at all); and `always` (every trace fsynced before the answer,
 * artifacts.md §1.5) on the disk, so the cost of each durability choice is visible.
 */
function variants(dir: string): Variant[] {
  const out: Variant[] = [{ label: 'traces on disk, batched sync (default)', traceDir: join(dir, 'traces'), traceSync: 'batched' }];
  if (existsSync('/dev/shm')) out.push({ label: 'traces on tmpfs, batched sync', traceDir: mkdtempSync('/dev/shm/gait-bench-traces-'), traceSync: 'batched' });
  out.push({ label: 'traces on disk, --trace-sync always', traceDir: join(dir, 'traces-always'), traceSync: 'always' });
  return out;
}

interface VariantFigures {
  readonly variant: Variant;
  readonly figures: ServerFigures;
}

function checksOf(v: VariantFigures, bare: ServerFigures, options: ServeBenchOptions): FigureResult['checks'] {
  const g = v.figures;
  return [
    // The target is for the default durability; `always` shows what per-trace fsync costs (ADR 0012).
    check(`${v.variant.label}: p99 added latency at ${options.rate} req/s`, g.fixed.p99 - bare.fixed.p99, 'ms', v.variant.traceSync === 'always' ? undefined : { max: 0.5 }),
    check(`${v.variant.label}: errors (socket errors, timeouts, non-2xx)`, g.max.errors + g.fixed.errors, '', { max: 0 }),
    check(`${v.variant.label}: RSS growth after warm-up (first vs last 5 s of the max-throughput run)`, g.rssDriftPercent, '%', { max: 10 }),
    check(`${v.variant.label}: max throughput vs bare node:http`, g.max.throughput / bare.max.throughput, '×'),
  ];
}

function summaryOf(v: VariantFigures, bare: ServerFigures, rate: number): string {
  const g = v.figures;
  return (
    `${v.variant.label}: ${sig(g.max.throughput)} req/s max; at ${rate} req/s p50 ${sig(g.fixed.p50)} ms, p99 ${sig(g.fixed.p99)} ms ` +
    `(+${sig(g.fixed.p99 - bare.fixed.p99)} ms); errors ${g.max.errors + g.fixed.errors}; RSS ${sig(g.rssWarm / 2 ** 20)} MiB after warm-up, ${sig(Math.max(...g.rssSamples) / 2 ** 20)} MiB peak, drift ${sig(g.rssDriftPercent)} %`
  );
}

/** Figure 7: `mcp serve` against a bare node:http server. */
export async function serveFigure(options: ServeBenchOptions): Promise<FigureResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gait-bench-serve-'));
  writeFileSync(join(dir, 'policy.yaml'), SERVE_POLICY);
  writeFileSync(join(dir, 'bench.key'), encodePrivateKey(generateSigningKey(systemRandom)), { mode: 0o600 });
  const all = variants(dir);
  const servers: Server[] = [];
  try {
    const results: VariantFigures[] = [];
    let body = '';
    for (const variant of all) {
      const gait = await startGait(dir, variant, options.cli ?? [CLI_BIN]);
      servers.push(gait);
      body ||= await sampleBody(gait.port);
      results.push({ variant, figures: await measure(gait, options) });
      await stop(gait);
    }
    const bareServer = await startBare(body);
    servers.push(bareServer);
    const bare = await measure(bareServer, options);
    const rows: Row[] = [];
    for (const r of results) rows.push(row(`mcp serve, ${r.variant.label}, max throughput`, 'ours', r.figures.max), row(`mcp serve, ${r.variant.label}, ${options.rate} req/s`, 'ours', r.figures.fixed));
    rows.push(row('bare node:http, max throughput', 'baseline', bare.max), row(`bare node:http, ${options.rate} req/s`, 'baseline', bare.fixed));
    return {
      id: 'serve',
      title: `mcp serve under load: ${options.connections} connections, ${options.seconds} s per run, vs a bare node:http server`,
      summary: `bare node:http ${sig(bare.max.throughput)} req/s max, p99 ${sig(bare.fixed.p99)} ms at ${options.rate} req/s; ${results.map((r) => summaryOf(r, bare, options.rate)).join('; ')}`,
      checks: results.flatMap((r) => checksOf(r, bare, options)),
      rows,
      details: {
        bare,
        variants: results.map((r) => ({ label: r.variant.label, ...r.figures, p99AddedMs: r.figures.fixed.p99 - bare.fixed.p99 })),
        request: JSON.parse(SERVE_REQUEST) as unknown,
      },
    };
  } finally {
    await Promise.all(servers.map(stop));
    rmSync(dir, { recursive: true, force: true });
    for (const v of all) if (v.traceDir.startsWith('/dev/shm/')) rmSync(v.traceDir, { recursive: true, force: true });
  }
}
