/**
 * The decision service on a real loopback socket (mcp-and-export.md §5.2): binding rules, server
 * timeouts against slow clients (slowloris), graceful shutdown that finishes in-flight requests,
 * and bearer auth on a non-loopback listen. Timeouts are shortened; the defaults are pinned.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { GaitError } from '../../../../src/errors/error.js';
import { DEFAULT_TIMEOUTS, isLoopbackListen, isValidHostHeader, parseListen, startServer } from '../../../../src/transports/http/serve.js';
import type { RunningServer, ServeOptions } from '../../../../src/transports/http/serve.js';
import { makeService } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const running: { server: RunningServer; fixture: ServeFixture }[] = [];
after(async () => {
  for (const r of running) {
    await r.server.stop();
    await r.fixture.cleanup();
  }
});

async function start(options: Partial<ServeOptions> = {}, serviceOptions: Parameters<typeof makeService>[0] = {}): Promise<RunningServer> {
  const fixture = makeService(serviceOptions);
  const server = await startServer(fixture.service, { listen: { host: '127.0.0.1', port: 0 }, ...options });
  running.push({ server, fixture });
  return server;
}

/** A raw client: the bytes the server sent and when the socket closed. */
function rawClient(port: number): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  const t0 = Date.now();
  socket.on('data', (chunk) => {
    data += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolveClosed) => socket.once('close', () => resolveClosed(Date.now() - t0)));
  return { socket, received: () => data, closed };
}

const EVALUATE_BODY = JSON.stringify({ call: { name: 'tool.search', args: { q: 'x' } } });

describe('parseListen() and the defaults', () => {
  it('parses host:port, [v6]:port and :port', () => {
    assert.deepEqual(parseListen('127.0.0.1:8787'), { host: '127.0.0.1', port: 8787 });
    assert.deepEqual(parseListen('[::1]:9'), { host: '::1', port: 9 });
    assert.deepEqual(parseListen(':8787'), { host: '', port: 8787 });
    assert.deepEqual(parseListen('localhost:0'), { host: 'localhost', port: 0 });
    for (const bad of ['8787', 'host:', 'a:b:c', 'h:70000', '[::1]8787']) {
      assert.throws(() => parseListen(bad), (err: unknown) => err instanceof GaitError && err.code === 'input_usage', bad);
    }
  });

  it('treats localhost and loopback IPs as loopback; an empty host, 0.0.0.0 or a LAN address is not', () => {
    for (const host of ['localhost', '127.0.0.1', '127.9.9.9', '::1']) assert.equal(isLoopbackListen({ host, port: 1 }), true, host);
    for (const host of ['', '0.0.0.0', '::', '192.168.1.2', 'example.com']) assert.equal(isLoopbackListen({ host, port: 1 }), false, host);
  });

  it('pins the §5.2 server timeouts', () => {
    assert.deepEqual(DEFAULT_TIMEOUTS, { headersMs: 5_000, requestMs: 30_000, writeMs: 30_000, idleMs: 60_000 });
  });
});

describe('binding', () => {
  it('serves /healthz and /v1/evaluate on loopback', async () => {
    const s = await start();
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${s.url}/healthz`);
    assert.equal(health.status, 200);
    const res = await fetch(`${s.url}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: EVALUATE_BODY });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Record<string, unknown>)['verdict'], 'allow');
  });

  it('refuses a non-loopback listen without token auth', async () => {
    const f = makeService();
    try {
      await assert.rejects(
        startServer(f.service, { listen: { host: '0.0.0.0', port: 0 } }),
        (err: unknown) => err instanceof GaitError && err.code === 'input_usage' && err.message === 'non-loopback --listen requires --auth-mode token',
      );
    } finally {
      await f.cleanup();
    }
  });

  it('a non-loopback listen with token auth: 401 without the token, 200 with it', async () => {
    const s = await start({ listen: { host: '0.0.0.0', port: 0 } }, { authToken: 'tok-123', allowedHosts: ['*'] });
    const url = `http://127.0.0.1:${s.address.port}/v1/evaluate`;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: EVALUATE_BODY };
    assert.equal((await fetch(url, init)).status, 401);
    assert.equal((await fetch(url, { ...init, headers: { ...init.headers, authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await fetch(url, { ...init, headers: { ...init.headers, authorization: 'Bearer tok-123' } })).status, 200);
  });

  it('reports an address in use as a storage_io error', async () => {
    const s = await start();
    const f = makeService();
    try {
      await assert.rejects(startServer(f.service, { listen: { host: '127.0.0.1', port: s.address.port } }), (err: unknown) => err instanceof GaitError && err.code === 'storage_io');
    } finally {
      await f.cleanup();
    }
  });

  it('a Host header naming another site (DNS rebinding) → 403 on the socket too', async () => {
    const s = await start();
    const c = rawClient(s.address.port);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: attacker.example:8787\r\nConnection: close\r\n\r\n');
    await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 403 /);
    assert.match(c.received(), /host not allowed: attacker\.example/);
  });
});

describe('Host header syntax', () => {
  it('a Host the URL parser cannot take is 400 invalid host header, not a 500', async () => {
    const s = await start();
    for (const host of ['a b', 'evil.example:abc', '[::1', '127.0.0.1:8787@evil.example', '127.0.0.1:99999']) {
      const c = rawClient(s.address.port);
      c.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      await c.closed;
      assert.match(c.received(), /^HTTP\/1\.1 400 /, host);
      assert.match(c.received(), /"error":"invalid host header","error_code":"invalid_input"/, host);
    }
    assert.equal(isValidHostHeader('localhost:8787'), true);
    assert.equal(isValidHostHeader('[::1]:8787'), true);
    assert.equal(isValidHostHeader(undefined), false);
  });
});

describe('slow clients', () => {
  it('headers that never complete (slowloris) are cut at the header timeout', async () => {
    const s = await start({ timeouts: { headersMs: 300 } });
    const c = rawClient(s.address.port);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n');
    const slowHeader = setInterval(() => c.socket.write('X-More: 1\r\n'), 100);
    const closedAfter = await c.closed;
    clearInterval(slowHeader);
    assert.ok(closedAfter >= 250 && closedAfter < 2_500, `closed after ${closedAfter} ms`);
    assert.match(c.received(), /^HTTP\/1\.1 408 /);
  });

  it('a body that trickles in slower than the request timeout is cut', async () => {
    const s = await start({ timeouts: { headersMs: 300, requestMs: 600 } });
    const c = rawClient(s.address.port);
    c.socket.write(`POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${EVALUATE_BODY.length}\r\n\r\n{"call"`);
    const closedAfter = await c.closed;
    assert.ok(closedAfter >= 500 && closedAfter < 3_000, `closed after ${closedAfter} ms`);
    assert.doesNotMatch(c.received(), /"verdict"/);
  });

  it('an idle keep-alive connection is closed at the idle timeout', async () => {
    const s = await start({ timeouts: { idleMs: 300 } });
    const c = rawClient(s.address.port);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const closedAfter = await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 200 /);
    assert.ok(closedAfter >= 250 && closedAfter < 3_000, `closed after ${closedAfter} ms`);
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request, then stops accepting', async () => {
    const fixture = makeService();
    const server = await startServer(fixture.service, { listen: { host: '127.0.0.1', port: 0 } });
    try {
      const c = rawClient(server.address.port);
      const half = Math.floor(EVALUATE_BODY.length / 2);
      c.socket.write(`POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${EVALUATE_BODY.length}\r\n\r\n${EVALUATE_BODY.slice(0, half)}`);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(fixture.service.inFlight(), 1);
      const stopping = server.stop();
      await new Promise((r) => setTimeout(r, 50));
      await assert.rejects(fetch(`${server.url}/healthz`), 'no new connections while stopping');
      c.socket.write(EVALUATE_BODY.slice(half));
      const result = await stopping;
      await c.closed;
      assert.equal(result.drained, true);
      assert.match(c.received(), /^HTTP\/1\.1 200 /);
      assert.match(c.received(), /"verdict":"allow"/);
    } finally {
      await fixture.cleanup();
    }
  });

  it('cuts requests still running at the deadline', async () => {
    const fixture = makeService();
    const server = await startServer(fixture.service, { listen: { host: '127.0.0.1', port: 0 }, shutdownDeadlineMs: 200 });
    try {
      const c = rawClient(server.address.port);
      c.socket.write(`POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${EVALUATE_BODY.length}\r\n\r\n{`);
      await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      const result = await server.stop();
      assert.equal(result.drained, false);
      assert.ok(Date.now() - t0 < 2_000);
      await c.closed;
    } finally {
      await fixture.cleanup();
    }
  });
});
