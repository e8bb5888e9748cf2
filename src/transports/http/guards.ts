/**
 * Request guards of the decision service: Host and Origin checks (a browser page, including one
 * reached through DNS rebinding, cannot drive a local service whose Host it does not know and whose
 * Origin it cannot forge) and bearer-token auth compared in constant time (mcp-and-export.md §5.4).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { HttpError } from './http-errors.js';

/** Whether a host name or address (no port, no brackets) is `localhost` or a loopback IP. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost') return true;
  const family = isIP(h);
  if (family === 4) return h.startsWith('127.');
  if (family === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Whether a listen host binds every interface. */
export function isWildcardHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  return h === '' || h === '0.0.0.0' || h === '::';
}

export interface HostPolicy {
  /** lowercased host names (no port) accepted in the Host header besides loopback names; `*` = any */
  readonly allowedHosts: readonly string[];
  /** exact origins (`http://localhost:3000`) allowed to send requests; empty = no browser origin */
  readonly allowedOrigins: readonly string[];
}

function forbidden(message: string): HttpError {
  return new HttpError(403, 'forbidden', message);
}

/**
 * Checks the request's Host (taken from the request URL, which the server builds from the Host
 * header) and Origin.
 * @throws HttpError 403 `host not allowed: <host>` / `origin not allowed: <origin>`
 */
export function checkHostAndOrigin(request: Request, policy: HostPolicy): void {
  if (!policy.allowedHosts.includes('*')) {
    let host: string;
    try {
      host = new URL(request.url).hostname.toLowerCase();
    } catch {
      throw forbidden('host not allowed');
    }
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    if (!isLoopbackHost(bare) && !policy.allowedHosts.includes(bare)) throw forbidden(`host not allowed: ${host}`);
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const normalized = origin.trim().toLowerCase().replace(/\/+$/, '');
  if (!policy.allowedOrigins.includes(normalized)) throw forbidden(`origin not allowed: ${origin}`);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A bearer-token checker; the expected token is hashed once so comparisons take constant time and leak no length. */
export function bearerChecker(token: string): (request: Request) => void {
  const expected = digest(token);
  return (request) => {
    const header = (request.headers.get('authorization') ?? '').trim();
    if (!header.startsWith('Bearer ')) {
      throw new HttpError(401, 'unauthorized', 'missing bearer authorization', { headers: { 'www-authenticate': 'Bearer' } });
    }
    const provided = digest(header.slice('Bearer '.length).trim());
    if (!timingSafeEqual(provided, expected)) {
      throw new HttpError(401, 'unauthorized', 'invalid bearer authorization', { headers: { 'www-authenticate': 'Bearer' } });
    }
  };
}
