/**
 * Binds the decision service to a socket with `@hono/node-server` (mcp-and-export.md §5.2): loopback
 * unless token auth is on, server timeouts against slow clients (header read 5 s, request read 30 s,
 * response write 30 s, idle 60 s), and a graceful stop that refuses new requests, lets in-flight ones
 * finish (10 s deadline), then closes every connection and the exporters. No TLS: terminate it in
 * front when needed.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { GaitError } from '../../errors/error.js';
import type { DecisionService } from './app.js';
import { isLoopbackHost } from './guards.js';

export interface ListenAddress {
  /** '' binds every interface (as Go's `:8787`) */
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `--listen` (`host:port`, `[v6]:port`, `:port`).
 * @throws GaitError `input_usage` `invalid --listen address "<a>"`
 */
export function parseListen(text: string): ListenAddress {
  const raw = text.trim();
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(raw);
  const port = m === null ? Number.NaN : Number(m[3]);
  if (m === null || !Number.isInteger(port) || port > 65535) throw new GaitError('input_usage', `invalid --listen address "${text}" (expected host:port)`);
  return { host: m[1] ?? m[2] ?? '', port };
}

/** Whether the listen host is `localhost` or a loopback IP (an empty host binds every interface: not loopback). */
export function isLoopbackListen(address: ListenAddress): boolean {
  return address.host !== '' && isLoopbackHost(address.host);
}

export interface ServerTimeouts {
  readonly headersMs: number;
  readonly requestMs: number;
  /** socket inactivity while a request is being handled or its response written */
  readonly writeMs: number;
  readonly idleMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 5_000, requestMs: 30_000, writeMs: 30_000, idleMs: 60_000 };

export interface ServeOptions {
  readonly listen: ListenAddress;
  readonly timeouts?: Partial<ServerTimeouts>;
  /** in-flight requests get this long to finish on stop (default 10 s) */
  readonly shutdownDeadlineMs?: number;
}

export interface RunningServer {
  readonly server: Server;
  /** the bound address (the real port when `port` was 0) */
  readonly address: { readonly host: string; readonly port: number };
  /** `http://host:port` */
  readonly url: string;
  /** graceful stop; `drained` is false when in-flight requests were cut at the deadline */
  readonly stop: () => Promise<{ readonly drained: boolean }>;
}

/** RFC 9110 Host: a reg-name, IPv4 or bracketed IPv6 literal, with an optional port. */
export function isValidHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  const m = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::(\d{1,5}))?$/.exec(host);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
}

function urlHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts listening.
 * @throws GaitError `input_usage` (`non-loopback --listen requires --auth-mode token`), `storage_io`
 *   (address in use, permission denied)
 */
export async function startServer(service: DecisionService, options: ServeOptions): Promise<RunningServer> {
  if (!isLoopbackListen(options.listen) && !service.authEnabled) {
    throw new GaitError('input_usage', 'non-loopback --listen requires --auth-mode token');
  }
  const t = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  let active = 0;
  const idle: (() => void)[] = [];
  const whenIdle = (deadlineMs: number): Promise<boolean> =>
    active === 0
      ? Promise.resolve(true)
      : new Promise<boolean>((resolveIdle) => {
          const timer = setTimeout(() => resolveIdle(false), deadlineMs);
          idle.push(() => {
            clearTimeout(timer);
            resolveIdle(true);
          });
        });
  const listener = getRequestListener(service.fetch, {
    // Never let a handler failure escape as a socket reset: classify it as a 500 (STYLE.md §4).
    errorHandler: () => new Response(JSON.stringify({ ok: false, error: 'internal error', error_code: 'internal_failure' }), { status: 500, headers: { 'content-type': 'application/json' } }),
  });
  const server = createServer(
    { headersTimeout: t.headersMs, requestTimeout: t.requestMs, keepAliveTimeout: t.idleMs, connectionsCheckingInterval: Math.min(1_000, t.headersMs) },
    (req, res) => {
      // A Host the URL parser cannot take is the client's fault (400), not an adapter failure (500).
      if (!isValidHostHeader(req.headers.host)) {
        res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ ok: false, error: 'invalid host header', error_code: 'invalid_input' }));
        return;
      }
      // Count a request until its response is fully written (or the socket is gone): `stop` waits on this.
      active += 1;
      res.once('close', () => {
        active -= 1;
        if (active === 0) for (const wake of idle.splice(0)) wake();
      });
      void listener(req, res);
    },
  );
  server.timeout = t.writeMs;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new GaitError('storage_io', `cannot listen on ${options.listen.host}:${options.listen.port}: ${err.code ?? err.message}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(options.listen.port, options.listen.host === '' ? undefined : options.listen.host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: options.listen.host, port: bound.port };
  let stopping: Promise<{ drained: boolean }> | undefined;
  const stop = (): Promise<{ drained: boolean }> => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = options.shutdownDeadlineMs ?? 10_000;
      const started = Date.now();
      const drained = (await service.drain(deadline)) && (await whenIdle(Math.max(0, deadline - (Date.now() - started))));
      clearInterval(sweep);
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
      await service.close();
      return { drained };
    })();
    return stopping;
  };
  return { server, address, url: `http://${urlHost(address.host)}:${address.port}`, stop };
}
