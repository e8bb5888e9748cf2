/**
 * Shared helpers for the in-process CLI e2e tests and the CLI pins: a workspace holding the Gait v1
 * integration vectors, a `gait(...)` runner over `runCli`, and checks that do not trust gait's own
 * code (JSON layout, file listings, an independent JCS + Ed25519 check of a trace signature).
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { runCli } from '../../src/transports/cli/main.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo, TestIoOptions } from '../helpers/cli-io.js';

export const VECTORS = join(process.cwd(), 'test/fixtures/vectors/gait-v1');
export const INTEGRATION = join(VECTORS, 'integration');
export const V4_PRIVATE_KEY = join(VECTORS, 'keys/approval_private.key');
export const V4_PUBLIC_KEY = join(VECTORS, 'keys/approval_public.key');

/** gate.md Part D V2/V3 and vectors README §1–§2, copied as literals. */
export const V2_POLICY_DIGEST = 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c';
export const V1_POLICY_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';
export const V3_INTENT_DIGEST = '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8';
export const V3_TRACE_ID = '9a714d67a491c4bd98dd7983';
export const V4_PUBLIC_KEY_TEXT = '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=';
export const V4_KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temp working directory with the integration `policy.yaml` and `intent.json` copied in. */
export function workspace(options: TestIoOptions = {}): TestIo {
  const t = makeTestIo(options);
  copyFileSync(join(INTEGRATION, 'policy.yaml'), join(t.cwd, 'policy.yaml'));
  copyFileSync(join(INTEGRATION, 'intent.json'), join(t.cwd, 'intent.json'));
  return t;
}

/** Runs one gait invocation in-process; returns the exit code and what it printed. */
export async function gait(t: TestIo, ...args: string[]): Promise<Run> {
  const outBefore = t.out().length;
  const errBefore = t.err().length;
  const code = await runCli(args, t.io);
  return { code, stdout: t.out().slice(outBefore), stderr: t.err().slice(errBefore) };
}

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedCopy((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Exactly one JSON object on one line with keys sorted at every depth (gate.md §A12.1), parsed. */
export function jsonLine(run: Run): Record<string, unknown> {
  assert.equal(run.stdout.endsWith('\n'), true, `stdout must end with a newline: ${JSON.stringify(run.stdout)}`);
  const body = run.stdout.slice(0, -1);
  assert.equal(body.includes('\n'), false, 'stdout must be one line');
  const parsed = JSON.parse(body) as unknown;
  assert.equal(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), true);
  assert.equal(body, JSON.stringify(sortedCopy(parsed)), 'keys must be sorted at every depth');
  return parsed as Record<string, unknown>;
}

/** An exit-6 invalid-input envelope (correlation id `cid-test`), parsed. */
export function invalidInput(run: Run): Record<string, unknown> {
  assert.equal(run.code, 6, `expected exit 6, got ${run.code}: ${run.stdout}${run.stderr}`);
  const json = jsonLine(run);
  assert.equal(json['ok'], false);
  assert.equal(json['error_code'], 'invalid_input');
  assert.equal(json['error_category'], 'invalid_input');
  assert.equal(json['retryable'], false);
  assert.equal(json['correlation_id'], 'cid-test');
  assert.equal(typeof json['hint'], 'string');
  return json;
}

/** Every file and directory under `dir`, relative, sorted. */
export function listTree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split('\\').join('/')).sort();
}

/** Names of `trace_*.json` files anywhere under `dir`. */
export function traceFiles(dir: string): string[] {
  return listTree(dir).filter((p) => /(^|\/)trace_[^/]*\.json$/.test(p));
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** lowercase hex SHA-256 of a base64 public key file's 32 raw bytes (the §A11 key id), computed here. */
export function keyIdOfPublicKeyFile(path: string): string {
  const raw = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  assert.equal(raw.length, 32);
  return createHash('sha256').update(raw).digest('hex');
}

/** The §A1.2 short id, computed here: first 12 bytes of SHA-256 over the UTF-8 string. */
export function shortIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Checks a trace's §A8 signature without gait's code: signed_digest = SHA-256 of the RFC 8785 JCS (the
 * `canonicalize` oracle) of the record minus `signature`; Ed25519 over the 32 digest bytes.
 */
export function assertTraceSignedBy(trace: Record<string, unknown>, publicKeyFile: string): void {
  const { signature, ...unsigned } = trace;
  const sig = signature as Record<string, unknown>;
  assert.deepEqual(Object.keys(sig).sort(), ['alg', 'key_id', 'sig', 'signed_digest']);
  assert.equal(sig['alg'], 'ed25519');
  assert.equal(sig['key_id'], keyIdOfPublicKeyFile(publicKeyFile));
  const digest = createHash('sha256').update(canonicalize(unsigned) ?? '', 'utf8').digest('hex');
  assert.equal(sig['signed_digest'], digest);
  const raw = Buffer.from(readFileSync(publicKeyFile, 'utf8').trim(), 'base64');
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  assert.equal(verify(null, Buffer.from(digest, 'hex'), key, Buffer.from(String(sig['sig']), 'base64')), true, 'Ed25519 signature');
}
