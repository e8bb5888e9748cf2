/**
 * Zip entry names (artifacts.md §1.4): the one safety rule shared by the reader, the writer and the
 * manifest checks of runpack and pack verify.
 */

/**
 * Whether `name` is a safe relative entry name: not empty, not absolute (`/x`, `\x`, `C:`), no `\`,
 * no NUL, and no empty, `.` or `..` segment (artifacts.md §1.4).
 * @example isSafeEntryName('run.json') // true
 * @example isSafeEntryName('../x') // false
 */
export function isSafeEntryName(name: string): boolean {
  if (name === '' || name.includes('\\') || name.includes('\u0000')) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return false;
  }
  return true;
}

/** Orders names by UTF-8 bytes (= code points), as the deterministic writer sorts entries (§1.3). */
export function compareEntryNames(a: string, b: string): number {
  if (a === b) return 0;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}
