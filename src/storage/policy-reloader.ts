/**
 * The live policy of a long-running service (mcp-and-export.md §5.3): loaded once, replaced
 * atomically when the file's sha256 changes and the new file parses, compiles and validates; never
 * half-loaded. An invalid new file keeps the last valid policy (status `stale`, with the error and
 * the rejected file's digest) unless strict mode is on, which makes the policy unavailable instead.
 * The trust snapshot the policy names follows the same rule. Changes are noticed by a file-system
 * watch on the parent directory plus a stat of size, mtime and inode at most once per `pollMs`;
 * nothing is read per request.
 */
import { statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { sha256Hex } from '../crypto/digest.js';
import { formatLocation, isGaitError } from '../errors/error.js';
import { compilePolicy } from '../policy/compile.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { TrustSnapshotState } from '../policy/mcp-trust.js';
import { parsePolicyYaml } from '../policy/parse.js';
import { withFile } from './input-files.js';
import { DEFAULT_MAX_INPUT_BYTES, readInputFile } from './read-input.js';
import { loadTrustSnapshotFile } from './trust-snapshot.js';

/** One consistent policy generation: what a request evaluates with from start to end. */
export interface LivePolicy {
  readonly compiled: CompiledPolicy;
  /** sha256hex of the policy file text */
  readonly fileDigest: string;
  /** the trust snapshot of `mcp_trust.snapshot`; undefined when the policy has no trust block */
  readonly trust: TrustSnapshotState | undefined;
  /** increments on every replacement */
  readonly generation: number;
}

/**
 * What the reloader reports. In the failure events `fileDigest` is the rejected file's `sha256hex`
 * ('' when it could not be read) and `policyDigest` the policy digest still in use ('' when none is:
 * strict mode).
 */
export type ReloadEvent =
  | { readonly kind: 'policy_reloaded'; readonly policyDigest: string; readonly fileDigest: string }
  | { readonly kind: 'policy_reload_failed'; readonly error: string; readonly fileDigest: string; readonly policyDigest: string }
  | { readonly kind: 'trust_snapshot_reloaded'; readonly path: string; readonly fileDigest: string }
  | {
      readonly kind: 'trust_snapshot_reload_failed';
      readonly path: string;
      readonly error: string;
      readonly fileDigest: string;
      readonly policyDigest: string;
    };

type TrustFailure = Extract<ReloadEvent, { kind: 'trust_snapshot_reload_failed' }>;

export interface PolicyReloaderOptions {
  readonly path: string;
  readonly cwd?: string;
  readonly maxBytes?: number;
  /** extra checks a new policy must pass (e.g. the oss-prod profile); throw to reject */
  readonly validate?: (compiled: CompiledPolicy) => void;
  /** `--policy-reload-strict`: an invalid new policy makes the policy unavailable */
  readonly strict?: boolean;
  readonly onEvent?: (event: ReloadEvent) => void;
  /** stat fallback interval (default 1000 ms) */
  readonly pollMs?: number;
}

export interface PolicyStatus {
  readonly status: 'current' | 'stale';
  /** the policy in use, '' when unavailable (strict mode) */
  readonly policyDigest: string;
  /** why the file on disk is not the policy in use ('' when current) */
  readonly error: string;
  /** trust snapshot: `current`, `stale` (kept the last good one) or '' without trust */
  readonly trustStatus: 'current' | 'stale' | '';
  readonly trustError: string;
}

interface StatKey {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

function statKey(path: string): StatKey | undefined {
  try {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  } catch {
    return undefined;
  }
}

function sameStat(a: StatKey | undefined, b: StatKey | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

function errorText(err: unknown): string {
  if (isGaitError(err)) {
    const where = formatLocation(err.location);
    return where === '' ? err.message : `${where}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

interface Loaded {
  readonly compiled: CompiledPolicy;
  readonly fileDigest: string;
}

/** Watches one policy file (and its trust snapshot) and hands out the live generation. */
export class PolicyReloader {
  private live: LivePolicy | undefined;
  private policyError = '';
  private rejectedDigest = '';
  private trustStale = false;
  private trustError = '';
  private trustDigest = '';
  private policyStat: StatKey | undefined;
  private trustStat: StatKey | undefined;
  private watchers: FSWatcher[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private readonly absPath: string;

  /**
   * Loads the policy (and its trust snapshot) for the first time.
   * @throws GaitError `input_*`, `policy_*`, `input_unsupported_feature`, or what `validate` throws
   */
  constructor(private readonly options: PolicyReloaderOptions) {
    this.absPath = resolve(options.cwd ?? process.cwd(), options.path);
    this.policyStat = statKey(this.absPath);
    const loaded = this.load();
    const { trust } = this.loadTrust(loaded.compiled, undefined);
    this.live = { ...loaded, trust, generation: 1 };
  }

  /** The policy to evaluate with; undefined only in strict mode after a failed reload. */
  current(): LivePolicy | undefined {
    return this.live;
  }

  status(): PolicyStatus {
    const trusted = this.live?.compiled.policy.mcpTrust !== undefined;
    return {
      status: this.policyError === '' ? 'current' : 'stale',
      policyDigest: this.live?.compiled.digest ?? '',
      error: this.policyError,
      trustStatus: trusted ? (this.trustStale ? 'stale' : 'current') : '',
      trustError: this.trustError,
    };
  }

  /** Starts the watch and the stat fallback. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.check(), this.options.pollMs ?? 1000);
    this.timer.unref();
    this.watchDir(this.absPath);
    const snapshot = this.live?.trust?.path;
    if (snapshot !== undefined) this.watchDir(resolve(this.options.cwd ?? process.cwd(), snapshot));
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.pending !== undefined) clearTimeout(this.pending);
    this.timer = undefined;
    this.pending = undefined;
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  /** A watch event: check soon (a burst of events from one save becomes one check). */
  private watchDir(file: string): void {
    const name = basename(file);
    try {
      const w = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed !== name) return;
        if (this.pending !== undefined) return;
        this.pending = setTimeout(() => {
          this.pending = undefined;
          this.check();
        }, 50);
        this.pending.unref();
      });
      w.on('error', () => w.close());
      this.watchers.push(w);
    } catch {
      // No watch support (some network file systems): the stat fallback still notices changes.
    }
  }

  /**
   * Looks at the files now: reloads the policy when its bytes changed, the snapshot likewise.
   * @returns whether the live generation changed
   */
  check(): boolean {
    const before = this.live;
    const st = statKey(this.absPath);
    if (!sameStat(st, this.policyStat)) {
      this.policyStat = st;
      this.reloadPolicy();
    }
    const live = this.live;
    if (live?.trust !== undefined && live === before) this.checkTrust(live);
    return this.live !== before;
  }

  private load(): Loaded {
    const text = readInputFile(this.absPath, {
      label: 'policy',
      maxBytes: this.options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES,
      displayPath: this.options.path,
    });
    const fileDigest = sha256Hex(text);
    const compiled = compiledOf(text, this.options.path);
    this.options.validate?.(compiled);
    return { compiled, fileDigest };
  }

  private reloadPolicy(): void {
    let text: string;
    try {
      text = readInputFile(this.absPath, { label: 'policy', maxBytes: this.options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES, displayPath: this.options.path });
    } catch (err) {
      this.reject(errorText(err), '');
      return;
    }
    const fileDigest = sha256Hex(text);
    if (this.live !== undefined && fileDigest === this.live.fileDigest && this.policyError === '') return;
    if (fileDigest === this.rejectedDigest) return;
    let compiled: CompiledPolicy;
    try {
      compiled = compiledOf(text, this.options.path);
      this.options.validate?.(compiled);
    } catch (err) {
      this.reject(errorText(err), fileDigest);
      return;
    }
    const { trust, failure } = this.loadTrust(compiled, this.live);
    this.policyError = '';
    this.rejectedDigest = '';
    this.live = { compiled, fileDigest, trust, generation: (this.live?.generation ?? 0) + 1 };
    this.options.onEvent?.({ kind: 'policy_reloaded', policyDigest: compiled.digest, fileDigest });
    if (failure !== undefined) this.options.onEvent?.(failure);
  }

  private reject(error: string, fileDigest: string): void {
    const repeated = error === this.policyError && fileDigest === this.rejectedDigest;
    this.policyError = error;
    this.rejectedDigest = fileDigest;
    if (this.options.strict === true) this.live = undefined;
    if (!repeated) this.options.onEvent?.({ kind: 'policy_reload_failed', error, fileDigest, policyDigest: this.live?.compiled.digest ?? '' });
  }

  /**
   * The snapshot for a (new) policy. A snapshot at the same path that no longer loads keeps the last
   * good one (stale), reported as `failure` unless the same error was already reported.
   */
  private loadTrust(compiled: CompiledPolicy, previous: LivePolicy | undefined): { trust: TrustSnapshotState | undefined; failure?: TrustFailure } {
    const config = compiled.policy.mcpTrust;
    if (config === undefined) return { trust: undefined };
    const loaded = loadTrustSnapshotFile(config.snapshot, { cwd: this.options.cwd ?? process.cwd() });
    this.trustStat = statKey(resolve(this.options.cwd ?? process.cwd(), config.snapshot));
    this.trustDigest = loaded.fileDigest;
    const kept = previous?.trust;
    if (loaded.state.status !== 'loaded' && kept?.status === 'loaded' && kept.path === config.snapshot) {
      const error = loaded.state.error;
      const repeated = this.trustStale && this.trustError === error;
      this.trustStale = true;
      this.trustError = error;
      if (repeated) return { trust: kept };
      return { trust: kept, failure: { kind: 'trust_snapshot_reload_failed', path: config.snapshot, error, fileDigest: loaded.fileDigest, policyDigest: compiled.digest } };
    }
    this.trustStale = false;
    this.trustError = loaded.state.status === 'loaded' ? '' : loaded.state.error;
    return { trust: loaded.state };
  }

  private checkTrust(live: LivePolicy): void {
    const path = live.trust?.path ?? '';
    const st = statKey(resolve(this.options.cwd ?? process.cwd(), path));
    if (sameStat(st, this.trustStat)) return;
    this.trustStat = st;
    const loaded = loadTrustSnapshotFile(path, { cwd: this.options.cwd ?? process.cwd() });
    if (loaded.fileDigest !== '' && loaded.fileDigest === this.trustDigest && !this.trustStale) return;
    if (loaded.state.status === 'loaded') {
      this.trustDigest = loaded.fileDigest;
      this.trustStale = false;
      this.trustError = '';
      this.live = { ...live, trust: loaded.state, generation: live.generation + 1 };
      this.options.onEvent?.({ kind: 'trust_snapshot_reloaded', path, fileDigest: loaded.fileDigest });
      return;
    }
    const error = loaded.state.error;
    if (live.trust?.status === 'loaded') {
      // Keep the last good snapshot, as for the policy (§5.3 last sentence).
      const repeated = this.trustStale && this.trustError === error;
      this.trustStale = true;
      this.trustError = error;
      if (!repeated) this.options.onEvent?.({ kind: 'trust_snapshot_reload_failed', path, error, fileDigest: loaded.fileDigest, policyDigest: live.compiled.digest });
      return;
    }
    this.trustDigest = loaded.fileDigest;
    this.trustError = error;
    this.live = { ...live, trust: loaded.state, generation: live.generation + 1 };
  }
}

function compiledOf(text: string, file: string): CompiledPolicy {
  const policy = parsePolicyYaml(text, { file });
  try {
    return compilePolicy(policy);
  } catch (err) {
    throw withFile(err, file);
  }
}
