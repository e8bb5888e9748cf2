/**
 * Target inference (gate.md §A3.3): endpoint class from kind, operation and tool-name tokens (D2),
 * endpoint domain from host/url values (hand-written RFC 3986 authority parsing, never WHATWG `URL`),
 * and inferred-destructive.
 */
import type { EndpointClass } from './intent-types.js';
import { lowerSimple, trimSpec } from './text.js';

const PATH_READ_OPS = new Set(['read', 'get', 'list', 'open', 'cat', 'head', 'download', 'stat']);
const PATH_WRITE_OPS = new Set(['write', 'append', 'put', 'create', 'update', 'save', 'copy', 'move', 'rename']);
const PATH_DELETE_OPS = new Set(['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate']);
const DNS_OPS = new Set(['dns', 'resolve', 'lookup']);
const EXEC_OPS = new Set(['exec', 'spawn', 'run', 'shell', 'command']);
const DESTRUCTIVE_OPS = new Set([...PATH_DELETE_OPS, 'exec', 'spawn']);

const READ_HINTS = ['read', 'list', 'fetch', 'search'];
const WRITE_HINTS = ['write', 'update', 'save', 'create'];
const DELETE_HINTS = ['delete', 'remove', 'rm', 'drop'];
const EXEC_HINTS = ['exec', 'shell', 'command', 'spawn', 'run'];

/**
 * Tool-name tokens (gate.md §A3.3, D2): lowercased name, part after the last `/`, split on every
 * character outside `[a-z0-9]`, empty pieces dropped.
 */
export function toolNameTokens(toolName: string): Set<string> {
  const lower = lowerSimple(trimSpec(toolName));
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  return new Set(base.split(/[^a-z0-9]+/).filter((token) => token !== ''));
}

function hasHint(tokens: ReadonlySet<string>, hints: readonly string[]): boolean {
  return hints.some((hint) => tokens.has(hint));
}

function inferPathClass(operation: string, toolName: string): EndpointClass {
  if (PATH_READ_OPS.has(operation)) return 'fs.read';
  if (PATH_WRITE_OPS.has(operation)) return 'fs.write';
  if (PATH_DELETE_OPS.has(operation)) return 'fs.delete';
  const tokens = toolNameTokens(toolName);
  if (hasHint(tokens, READ_HINTS)) return 'fs.read';
  if (hasHint(tokens, WRITE_HINTS)) return 'fs.write';
  if (hasHint(tokens, DELETE_HINTS)) return 'fs.delete';
  return 'other';
}

/** Endpoint class for a target whose input left it empty; `kind` and `operation` are normalized. */
export function inferEndpointClass(kind: string, operation: string, toolName: string): EndpointClass {
  switch (kind) {
    case 'path':
      return inferPathClass(operation, toolName);
    case 'host':
    case 'url':
      return DNS_OPS.has(operation) ? 'net.dns' : 'net.http';
    case 'other':
      return EXEC_OPS.has(operation) || hasHint(toolNameTokens(toolName), EXEC_HINTS) ? 'proc.exec' : 'other';
    default:
      return 'other';
  }
}

/** Endpoint domain for a target whose input left it empty (gate.md §A3.3); '' for other kinds. */
export function inferEndpointDomain(kind: string, value: string): string {
  if (kind === 'host') return hostTargetDomain(value);
  if (kind === 'url') return urlAuthorityHost(trimSpec(value));
  return '';
}

/** `host` kind: strip `http://` then `https://` prefixes, cut at the first `/`, then at the first `:`. */
function hostTargetDomain(value: string): string {
  let host = trimSpec(value);
  if (host.startsWith('http://')) host = host.slice('http://'.length);
  if (host.startsWith('https://')) host = host.slice('https://'.length);
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  return lowerSimple(trimSpec(host));
}

// eslint-disable-next-line no-control-regex -- URLs with control characters do not parse
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;
const USERINFO_CHARS = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
// RFC 3986 reg-name / IP-literal characters as Go's url parser accepts them; non-ASCII passes through.
// eslint-disable-next-line no-control-regex -- the negated class lists the allowed ASCII set
const HOST_BAD_ASCII = /[\x00-\x20#/?@\\^`{|}\x7f]/;
const VALID_PORT = /^(:[0-9]*)?$/;

/** The scheme-less remainder after `scheme:`, or the whole text when there is no scheme. */
function afterScheme(text: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(text);
  if (m !== null) return text.slice(m[0].length);
  return text.startsWith(':') ? undefined : text;
}

/**
 * Host of an RFC 3986 authority (`scheme://[userinfo@]host[:port]` or `//host…`), without port and IPv6
 * brackets, lowercased; '' when there is no authority or it does not parse. No IDNA, no percent-decoding,
 * no IPv4 canonicalization (gate.md §A3.3).
 */
export function urlAuthorityHost(text: string): string {
  if (CONTROL_CHARS.test(text)) return '';
  const noFragment = text.split('#', 1)[0] ?? '';
  const rest = afterScheme(noFragment);
  if (rest === undefined) return '';
  const noQuery = rest.split('?', 1)[0] ?? '';
  if (!noQuery.startsWith('//')) return '';
  const afterSlashes = noQuery.slice(2);
  const slash = afterSlashes.indexOf('/');
  const authority = slash >= 0 ? afterSlashes.slice(0, slash) : afterSlashes;
  const at = authority.lastIndexOf('@');
  if (at >= 0 && !USERINFO_CHARS.test(authority.slice(0, at))) return '';
  const host = hostOfHostPort(authority.slice(at + 1));
  return host === undefined ? '' : lowerSimple(trimSpec(host));
}

function hostOfHostPort(hostPort: string): string | undefined {
  if (hostPort.startsWith('[')) {
    const close = hostPort.lastIndexOf(']');
    if (close < 0 || !VALID_PORT.test(hostPort.slice(close + 1))) return undefined;
    return validHostChars(hostPort.slice(1, close));
  }
  const colon = hostPort.lastIndexOf(':');
  const host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
  if (colon >= 0 && !VALID_PORT.test(hostPort.slice(colon))) return undefined;
  return validHostChars(host);
}

function validHostChars(host: string): string | undefined {
  return HOST_BAD_ASCII.test(host) || !validPercentEscapes(host) ? undefined : host;
}

function validPercentEscapes(host: string): boolean {
  for (let i = host.indexOf('%'); i >= 0; i = host.indexOf('%', i + 1)) {
    if (!/^%[0-9A-Fa-f]{2}$/.test(host.slice(i, i + 3))) return false;
  }
  return true;
}

/** gate.md §A3.3 inferred-destructive: class `fs.delete`/`proc.exec` or a destructive operation. */
export function inferDestructive(endpointClass: string, operation: string): boolean {
  return endpointClass === 'fs.delete' || endpointClass === 'proc.exec' || DESTRUCTIVE_OPS.has(operation);
}
