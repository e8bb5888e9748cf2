/**
 * The runpack and pack of one decision-service request (mcp-and-export.md §5.6 "Per-request
 * artifacts", "Auto-pack"): which artifacts a request gets and where, built with the proxy's
 * `buildProxyArtifacts` (the bytes `gait mcp proxy --runpack-out/--pack-out` writes, signed with the
 * server key) and written atomically. A build or write failure throws (500, §5.7).
 *
 * Which files:
 * - runpack: `runpack_out` (client path), else `<runpack-dir>/runpack_<run id>_<ts>.zip` when
 *   `emit_runpack` and a runpack dir are set;
 * - pack: `pack_out`, else `<pack-dir>/pack_<run id>_<ts>.zip` when `emit_pack` (400 without a pack
 *   dir), else the same file when a pack dir is set and the call looks state-changing (auto-pack).
 */
import { dirname, resolve } from 'node:path';
import type { RunEnv } from '../../artifacts/runpack/types.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import { isStateChanging } from '../../policy/state-changing.js';
import { formatCompactUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { assertSafeRelativePath, ensureDir } from '../../storage/atomic-write.js';
import { RetentionClass } from '../../storage/retention.js';
import type { RetentionLimits } from '../../storage/retention.js';
import { buildProxyArtifacts } from '../mcp/proxy-runpack.js';
import type { ProxyDecision } from '../mcp/proxy.js';
import { badRequest } from './http-errors.js';
import type { EvaluateRequest } from './request.js';

/** The service's runpack and pack configuration, fixed at startup. */
export interface ServeArtifactSettings {
  /** `--runpack-dir` as given; '' = disabled */
  readonly runpackDir: string;
  /** `--pack-dir` as given; '' = disabled */
  readonly packDir: string;
  /** the runpack retention class over the runpack dir (also holds session checkpoints, `_cp_`) */
  readonly runpackRetention: RetentionClass | undefined;
  readonly packRetention: RetentionClass | undefined;
  /** the host environment recorded in runpacks (`os`, `arch`, `runtime`) */
  readonly hostEnv: RunEnv;
}

export interface ServeArtifactOptions {
  readonly cwd: string;
  readonly runpackDir: string;
  readonly packDir: string;
  readonly runpackRetention: RetentionLimits;
  readonly packRetention: RetentionLimits;
  readonly hostEnv: RunEnv;
}

function retentionOver(name: 'runpack' | 'pack', dir: string, limits: RetentionLimits): RetentionClass | undefined {
  if (dir === '') return undefined;
  const cls = new RetentionClass(name, dir, limits);
  if (!cls.enabled) return undefined;
  cls.prime();
  return cls;
}

/**
 * §5.2: creates the runpack and pack directories that are set and lists them for retention.
 * @throws GaitError `storage_io` (a directory cannot be created or listed)
 */
export function prepareServeArtifacts(options: ServeArtifactOptions): ServeArtifactSettings {
  const runpackDir = options.runpackDir.trim();
  const packDir = options.packDir.trim();
  if (runpackDir !== '') ensureDir(resolve(options.cwd, runpackDir));
  if (packDir !== '') ensureDir(resolve(options.cwd, packDir));
  return {
    runpackDir,
    packDir,
    runpackRetention: retentionOver('runpack', runpackDir === '' ? '' : resolve(options.cwd, runpackDir), options.runpackRetention),
    packRetention: retentionOver('pack', packDir === '' ? '' : resolve(options.cwd, packDir), options.packRetention),
    hostEnv: options.hostEnv,
  };
}

/** The retention classes with a limit (applied after each request with the trace class). */
export function artifactRetention(settings: ServeArtifactSettings): RetentionClass[] {
  return [settings.runpackRetention, settings.packRetention].filter((c) => c !== undefined);
}

/**
 * The request checks of §5.5/§5.6 for runpacks and packs, run before evaluation. Whether client
 * paths are allowed at all is checked by the caller (`request.<field> is not allowed …`).
 * @throws HttpError 400 `request.emit_pack requires server --pack-dir`; GaitError `input_path` (a relative `..` path)
 */
export function checkArtifactRequest(req: EvaluateRequest, settings: ServeArtifactSettings): void {
  if (req.runpackOut !== '') assertSafeRelativePath(req.runpackOut, 'runpack');
  if (req.packOut !== '') assertSafeRelativePath(req.packOut, 'pack');
  if (req.emitPack && req.packOut === '' && settings.packDir === '') throw badRequest('request.emit_pack requires server --pack-dir', 'input_usage');
}

export const EMIT_RUNPACK_SKIPPED = 'emit_runpack_skipped=server has no --runpack-dir';

/** `<prefix>_<run id>_<UTC YYYYMMDDTHHMMSS.nnnnnnnnn>.zip` (§5.6 `<ts>`, as the trace name). */
export function serveArtifactFileName(prefix: 'runpack' | 'pack', runId: string, at: Timestamp): string {
  return `${prefix}_${runId}_${formatCompactUtc(at).slice(0, -1)}.${String(at.nanos).padStart(9, '0')}.zip`;
}

interface Planned {
  /** the path as reported (`runpack_path` / `pack_path`) */
  readonly shown: string;
  /** a client path: its directory may not exist; not under retention */
  readonly client: boolean;
}

interface Plan {
  readonly runpack: Planned | undefined;
  readonly pack: Planned | undefined;
}

function plan(decision: ProxyDecision, req: EvaluateRequest, settings: ServeArtifactSettings, at: () => Timestamp): Plan {
  const inDir = (dir: string, prefix: 'runpack' | 'pack'): Planned => ({ shown: `${dir}/${serveArtifactFileName(prefix, decision.runId, at())}`, client: false });
  let runpack: Planned | undefined;
  if (req.runpackOut !== '') runpack = { shown: req.runpackOut, client: true };
  else if (req.emitRunpack && settings.runpackDir !== '') runpack = inDir(settings.runpackDir, 'runpack');
  let pack: Planned | undefined;
  if (req.packOut !== '') pack = { shown: req.packOut, client: true };
  else if (settings.packDir !== '' && (req.emitPack || isStateChanging(decision.intent))) pack = inDir(settings.packDir, 'pack');
  return { runpack, pack };
}

/** What the artifact step needs from the request context. */
export interface ArtifactWriteContext {
  readonly artifacts: ServeArtifactSettings;
  readonly cwd: string;
  readonly signingKey: SigningKey;
  readonly producerVersion: string;
  /** unique, strictly increasing artifact timestamps (file names) */
  readonly artifactTime: () => Timestamp;
  /** the service's atomic writer, the one the trace uses (temp file, rename, its durability mode) */
  readonly write: (path: string, data: Uint8Array, mode: number) => Promise<void>;
}

export interface ServeArtifacts {
  /** '' when none was written */
  readonly runpackPath: string;
  readonly packPath: string;
  readonly packId: string;
  readonly warnings: readonly string[];
}

function build(decision: ProxyDecision, ctx: ArtifactWriteContext, planned: Plan): ReturnType<typeof buildProxyArtifacts> {
  const pack = planned.pack !== undefined;
  try {
    return buildProxyArtifacts(decision, { signingKey: ctx.signingKey, producerVersion: ctx.producerVersion, hostEnv: ctx.artifacts.hostEnv, pack });
  } catch (err) {
    // §5.7: a runpack or pack that cannot be built is an internal failure (500), whatever the cause.
    const reason = err instanceof Error ? err.message : String(err);
    const what = planned.runpack === undefined ? 'pack' : pack ? 'runpack and pack' : 'runpack';
    throw new GaitError('internal_failure', `cannot build the ${what} of run \`${decision.runId}\`: ${reason}`, { cause: err });
  }
}

async function writeOne(planned: Planned, bytes: Uint8Array, retention: RetentionClass | undefined, ctx: ArtifactWriteContext): Promise<void> {
  const target = resolve(ctx.cwd, planned.shown);
  // The server directories exist since startup; a client path (--allow-client-artifact-paths) may not.
  if (planned.client) ensureDir(dirname(target));
  await ctx.write(target, bytes, 0o600);
  if (!planned.client) retention?.noteWritten(target, bytes.length);
}

/**
 * Builds and writes the request's runpack and pack, if any. Both writes run together; when one
 * fails the request fails, and only complete files are ever in place (atomic rename).
 * @throws GaitError `internal_failure` (build), `storage_io` (write) — both 500
 */
export async function writeServeArtifacts(decision: ProxyDecision, req: EvaluateRequest, ctx: ArtifactWriteContext): Promise<ServeArtifacts> {
  const settings = ctx.artifacts;
  let stamp: Timestamp | undefined;
  const planned = plan(decision, req, settings, () => (stamp ??= ctx.artifactTime()));
  // §5.6 makes a runpack only "when emit_runpack and a runpack dir are set"; say so rather than ignore it.
  const skipped = req.emitRunpack && planned.runpack === undefined ? [EMIT_RUNPACK_SKIPPED] : [];
  if (planned.runpack === undefined && planned.pack === undefined) return { runpackPath: '', packPath: '', packId: '', warnings: skipped };
  const built = build(decision, ctx, planned);
  const writes: Promise<void>[] = [];
  if (planned.runpack !== undefined) writes.push(writeOne(planned.runpack, built.runpack, settings.runpackRetention, ctx));
  if (planned.pack !== undefined && built.pack !== undefined) writes.push(writeOne(planned.pack, built.pack.bytes, settings.packRetention, ctx));
  const failed = (await Promise.allSettled(writes)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return {
    runpackPath: planned.runpack?.shown ?? '',
    packPath: planned.pack?.shown ?? '',
    packId: built.pack?.packId ?? '',
    warnings: [...skipped, ...built.warnings],
  };
}
