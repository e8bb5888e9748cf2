/**
 * The declared-files check every manifest-signed zip shares (artifacts.md §2.8 steps 3, 5 and 8;
 * §3.6 step 5): each file the manifest names must be present with its `sha256hex` (compared
 * case-insensitively, §1.1), and every entry but the manifest itself must be named.
 */
import { sha256Hex } from '../../crypto/digest.js';

/** A `files[]` (runpack) or `contents[]` (pack) entry of a manifest. */
export interface DeclaredFile {
  readonly path: string;
  readonly sha256: string;
}

export interface HashMismatch {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

export interface DeclaredFileChecks {
  /** Declared paths absent from the zip, one per declaring entry; sorted. */
  readonly missing: string[];
  /** Sorted by path. */
  readonly mismatches: HashMismatch[];
  /** Entries other than `manifestEntry` that no declared file names; sorted. */
  readonly undeclared: string[];
}

/** Orders by `path` (code-unit order); stable for equal paths. */
export const byPath = (a: { readonly path: string }, b: { readonly path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Hashes every declared file once and lists the missing, mismatched and undeclared ones.
 * @param declared the manifest's file list
 * @param entries every zip entry's decompressed bytes, by name
 * @param manifestEntry the manifest's own entry name, never undeclared
 */
export function checkDeclaredFiles(
  declared: readonly DeclaredFile[],
  entries: ReadonlyMap<string, Uint8Array>,
  manifestEntry: string,
): DeclaredFileChecks {
  const missing: string[] = [];
  const mismatches: HashMismatch[] = [];
  for (const file of declared) {
    const bytes = entries.get(file.path);
    if (bytes === undefined) {
      missing.push(file.path);
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== file.sha256.toLowerCase()) mismatches.push({ path: file.path, expected: file.sha256, actual });
  }
  const names = new Set(declared.map((f) => f.path));
  const undeclared = [...entries.keys()].filter((n) => n !== manifestEntry && !names.has(n));
  return { missing: missing.sort(), mismatches: mismatches.sort(byPath), undeclared: undeclared.sort() };
}

/** The `why` of the `declared_files`, `file_hashes` and `undeclared_files` checks ('' when passed). */
export function declaredFilesWhy(missing: readonly string[], mismatches: readonly HashMismatch[], undeclared: readonly string[]) {
  return {
    declaredFiles: missing.length > 0 ? `missing files: ${missing.join(', ')}` : '',
    fileHashes: mismatches.length > 0 ? `hash mismatches: ${mismatches.map((m) => m.path).join(', ')}` : '',
    undeclaredFiles: undeclared.length > 0 ? `undeclared files: ${undeclared.join(', ')}` : '',
  } as const;
}
