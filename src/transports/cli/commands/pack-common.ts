/** Shared pieces of the `gait pack` commands (artifacts.md §3.5–§3.7): the output wrapper and pack file loading. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACK_OUTPUT_SCHEMA_ID, PACK_SCHEMA_VERSION } from '../../../artifacts/pack/types.js';
import { GaitError } from '../../../errors/error.js';
import { readArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext } from '../command.js';

/** `{schema_id: "gait.pack.output", schema_version: "1.0.0", ok, operation, …}` (§3.5). */
export function packOutput(operation: string, ok: boolean, body: Record<string, unknown>): Record<string, unknown> {
  return { schema_id: PACK_OUTPUT_SCHEMA_ID, schema_version: PACK_SCHEMA_VERSION, ok, operation, ...body };
}

/** Reads a pack file named by the user. @throws GaitError `input_path` (`pack not found: <p>`) */
export function loadPackFile(ctx: CommandContext, path: string): Uint8Array {
  const full = resolve(ctx.io.cwd, path);
  if (!existsSync(full)) throw new GaitError('input_path', `pack not found: ${path}`, { details: { path } });
  return readArtifactFile(full, { label: 'pack', display: path });
}
