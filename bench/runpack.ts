/**
 * Figure "runpack": the artifacts.md §9 workloads, built exactly as described (reference mode,
 * signed with a fresh Ed25519 key, written to temp files before timing; key generation and file
 * creation are outside the timed loop), each the median of the rounds:
 *   (a) runpack verify, typical: `run_verify` from disk with its public key, signature required;
 *   (b) runpack diff, typical: `run_diff_left` vs `run_diff_right` (`<m>` ok / changed), both read,
 *       hashed and diffed from disk, full privacy;
 *   (c) pack verify, typical: an unsigned run pack of `run_pack_bench` from disk, no key;
 *   (d) a 10,000-intent runpack: verify (in memory, key, signature required) against the baseline
 *       (e) bare SHA-256 over the same four record entries plus one Ed25519 verify, in the same
 *       rounds. Target: throughput ratio (e)/(d) in time, i.e. ours/baseline in ops/s, ≥ 0.5.
 * Gait v1 reference figures (Go, ns/op) are printed beside ours for comparison only.
 */
import { createHash, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunPack } from '../src/artifacts/pack/build.js';
import { verifyPack } from '../src/artifacts/pack/verify.js';
import { buildRunpackSync } from '../src/artifacts/runpack/build.js';
import { diffRunpacks } from '../src/artifacts/runpack/diff.js';
import { parseRunpackInput } from '../src/artifacts/runpack/input.js';
import { normalizeRefs } from '../src/artifacts/runpack/normalize.js';
import { readRunpackSync } from '../src/artifacts/runpack/read.js';
import { verifyRunpack } from '../src/artifacts/runpack/verify.js';
import { openZip } from '../src/artifacts/zip/read.js';
import { signDigestHex } from '../src/crypto/envelope.js';
import { generateSigningKey, verifyKeyOf } from '../src/crypto/keys.js';
import type { SigningKey, VerifyKey } from '../src/crypto/keys.js';
import { systemClock } from '../src/runtime/clock.js';
import { systemRandom } from '../src/runtime/random.js';
import { measure } from './measure.js';
import type { MeasureOptions, OpStats } from './measure.js';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { grouped, sig } from './stats.js';

const T = '2026-02-05T00:00:00Z';
const FIGURE = 'runpack';
/** Gait v1 published medians (artifacts.md §9), ns/op, and its regression budgets. */
const GAIT_V1 = { verify: [98_898, 400_000], diff: [324_409, 1_000_000], pack: [69_603, 280_000] } as const;
export const BIG_INTENTS = 10_000;

/** The §9 shared fixture for run id `runId` and result message `message`. */
export function benchInput(runId: string, message: string): Record<string, unknown> {
  const h = { run_id: runId, created_at: T, producer_version: '0.0.0-bench' };
  return {
    run: { ...h, env: { os: 'bench', arch: 'bench', runtime: 'go' }, timeline: [{ event: 'start', ts: T }, { event: 'finish', ts: '2026-02-05T00:00:01Z' }] },
    intents: [
      { ...h, intent_id: 'intent_1', tool_name: 'tool.search', args_digest: '1'.repeat(64), args: { query: 'benchmark' } },
      { ...h, intent_id: 'intent_2', tool_name: 'tool.fetch', args_digest: '2'.repeat(64), args: { url: 'https://example.local' } },
    ],
    results: [
      { ...h, intent_id: 'intent_1', status: 'ok', result_digest: '3'.repeat(64), result: { ok: true, message } },
      { ...h, intent_id: 'intent_2', status: 'ok', result_digest: '4'.repeat(64), result: { ok: true } },
    ],
    refs: {
      ...h,
      receipts: [{ ref_id: 'ref_1', source_type: 'bench', source_locator: 'tool.search', query_digest: 'a'.repeat(64), content_digest: 'b'.repeat(64), retrieved_at: T, redaction_mode: 'reference' }],
    },
    capture_mode: 'reference',
  };
}

/** The shared fixture scaled to `n` intents and results (distinct ids and digests). */
export function bigInput(n: number): Record<string, unknown> {
  const h = { run_id: 'run_big', created_at: T, producer_version: '0.0.0-bench' };
  const digest = (s: string): string => createHash('sha256').update(s).digest('hex');
  const base = benchInput('run_big', 'ok');
  return {
    ...base,
    intents: Array.from({ length: n }, (_, i) => ({ ...h, intent_id: `intent_${i + 1}`, tool_name: i % 2 === 0 ? 'tool.search' : 'tool.fetch', args_digest: digest(`args:${i}`) })),
    results: Array.from({ length: n }, (_, i) => ({ ...h, intent_id: `intent_${i + 1}`, status: 'ok', result_digest: digest(`result:${i}`) })),
  };
}

function record(input: Record<string, unknown>, key: SigningKey | undefined): Uint8Array {
  return buildRunpackSync(parseRunpackInput(input), { clock: systemClock, ...(key === undefined ? {} : { signingKey: key }) }).bytes;
}

interface Fixture {
  readonly dir: string;
  readonly key: SigningKey;
  readonly pub: VerifyKey;
  readonly verifyPath: string;
  readonly leftPath: string;
  readonly rightPath: string;
  readonly packPath: string;
  readonly big: Uint8Array;
  readonly bigEntries: readonly Uint8Array[];
  readonly bigSignedDigest: string;
  readonly bigSig: Buffer;
}

function fixture(): Fixture {
  const key = generateSigningKey(systemRandom);
  const dir = mkdtempSync(join(tmpdir(), 'gait-bench-runpack-'));
  const write = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const verifyPath = write('runpack_run_verify.zip', record(benchInput('run_verify', 'ok'), key));
  const leftPath = write('runpack_run_diff_left.zip', record(benchInput('run_diff_left', 'ok'), key));
  const rightPath = write('runpack_run_diff_right.zip', record(benchInput('run_diff_right', 'changed'), key));
  const packRunpack = record(benchInput('run_pack_bench', 'ok'), key);
  const packPath = write('pack_run_pack_bench.zip', buildRunPack(packRunpack, { producerVersion: '0.0.0-bench' }).bytes);
  const big = record(bigInput(BIG_INTENTS), key);
  const zip = openZip(big);
  const bigEntries = ['intents.jsonl', 'refs.json', 'results.jsonl', 'run.json'].map((n) => zip.read(n));
  const bigSignedDigest = createHash('sha256').update('gait bench signed digest').digest('hex');
  return { dir, key, pub: verifyKeyOf(key), verifyPath, leftPath, rightPath, packPath, big, bigEntries, bigSignedDigest, bigSig: Buffer.from(signDigestHex(bigSignedDigest, key), 'base64') };
}

const OPS = {
  verify: 'gait runpack verify, typical (disk, key, signature required)',
  diff: 'gait runpack diff, typical (disk, full privacy)',
  pack: 'gait pack verify, typical (disk, no key)',
  big: `gait runpack verify, ${grouped(BIG_INTENTS)} intents (memory, key, signature required)`,
  bare: `node:crypto sha256 of the same entries + 1 ed25519 verify`,
} as const;

function assertFixture(f: Fixture): void {
  const v = verifyRunpack(readFileSync(f.verifyPath), { key: f.pub, requireSignature: true });
  if (!v.ok || v.signatureStatus !== 'verified') throw new Error('bench runpack verify fixture does not verify');
  const p = verifyPack(readFileSync(f.packPath));
  if (!p.ok || p.missingFiles.length + p.hashMismatches.length + p.undeclaredFiles.length > 0) throw new Error('bench pack fixture does not verify');
  const big = verifyRunpack(f.big, { key: f.pub, requireSignature: true });
  if (!big.ok || big.signatureStatus !== 'verified') throw new Error('bench big runpack does not verify');
  // Reference mode strips the payloads and the digests are given, so <m> does not reach the records.
  if (!diffOnce(f).ok) throw new Error('bench diff fixture: reference-mode runpacks should diff equal');
}

function diffOnce(f: Fixture): ReturnType<typeof diffRunpacks> {
  const read = (path: string) => {
    const p = readRunpackSync(readFileSync(path));
    return { ...p, refs: normalizeRefs(p.refs) };
  };
  return diffRunpacks(read(f.leftPath), read(f.rightPath), 'full');
}

function bare(f: Fixture): boolean {
  for (const e of f.bigEntries) createHash('sha256').update(e).digest('hex');
  return verify(null, Buffer.from(f.bigSignedDigest, 'hex'), f.pub.publicKey, f.bigSig);
}

function row(role: Row['role'], s: OpStats): Row {
  return { figure: FIGURE, operation: s.name, role, p50: s.p50Us, mean: s.meanUs, unit: 'µs', opsPerSec: s.opsPerSec, samples: s.samples };
}

/** Figure "runpack": §9 workloads and the 10,000-intent verify throughput ratio. */
export function runpackFigure(options: MeasureOptions): FigureResult {
  const f = fixture();
  try {
    assertFixture(f);
    const stats = measure(
      FIGURE,
      [
        [OPS.verify, () => verifyRunpack(readFileSync(f.verifyPath), { key: f.pub, requireSignature: true })],
        [OPS.diff, () => diffOnce(f)],
        [OPS.pack, () => verifyPack(readFileSync(f.packPath))],
        [OPS.big, () => verifyRunpack(f.big, { key: f.pub, requireSignature: true })],
        [OPS.bare, () => bare(f)],
      ],
      options,
    );
    const get = (name: string): OpStats => stats.get(name) as OpStats;
    const [v, d, p, big, base] = [get(OPS.verify), get(OPS.diff), get(OPS.pack), get(OPS.big), get(OPS.bare)];
    const ratio = base.meanUs / big.meanUs;
    const mb = f.bigEntries.reduce((n, e) => n + e.length, 0) / 1_048_576;
    const vs = (s: OpStats, ref: number): string => `${sig(s.p50Us)}µs (Gait v1 ${sig(ref / 1000)}µs)`;
    return {
      id: 'runpack',
      title: 'Runpacks and packs: verify, diff, pack verify (artifacts.md §9) and 10,000-intent verify throughput',
      summary:
        `verify ${vs(v, GAIT_V1.verify[0])}, diff ${vs(d, GAIT_V1.diff[0])}, pack verify ${vs(p, GAIT_V1.pack[0])}; ` +
        `${grouped(BIG_INTENTS)}-intent verify ${sig(big.meanUs / 1000)}ms for ${sig(mb)} MiB = ${sig(ratio)}× the throughput of bare SHA-256 + Ed25519 (${sig(base.meanUs / 1000)}ms)`,
      checks: [
        check(`${grouped(BIG_INTENTS)}-intent runpack verify throughput / bare SHA-256 + Ed25519 verify`, ratio, '×', { min: 0.5 }),
        check('runpack verify p50 within Gait v1 budget (400 µs)', v.p50Us, 'µs', { max: GAIT_V1.verify[1] / 1000 }),
        check('runpack diff p50 within Gait v1 budget (1000 µs)', d.p50Us, 'µs', { max: GAIT_V1.diff[1] / 1000 }),
        check('pack verify p50 within Gait v1 budget (280 µs)', p.p50Us, 'µs', { max: GAIT_V1.pack[1] / 1000 }),
      ],
      rows: [row('ours', v), row('ours', d), row('ours', p), row('ours', big), row('baseline', base)],
      details: {
        gaitV1ReferenceNs: { verify: GAIT_V1.verify[0], diff: GAIT_V1.diff[0], packVerify: GAIT_V1.pack[0] },
        bigRunpack: { intents: BIG_INTENTS, zipBytes: f.big.length, entryMiB: mb, throughputRatio: ratio },
      },
    };
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
}
