import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  inferDestructive,
  inferEndpointClass,
  inferEndpointDomain,
  toolNameTokens,
  urlAuthorityHost,
} from '../../../../src/schema/v1/intent-inference.js';

describe('inferEndpointClass: path', () => {
  it('maps read operations to fs.read', () => {
    for (const op of ['read', 'get', 'list', 'open', 'cat', 'head', 'download', 'stat']) {
      assert.equal(inferEndpointClass('path', op, 'tool.x'), 'fs.read', op);
    }
  });
  it('maps write operations to fs.write', () => {
    for (const op of ['write', 'append', 'put', 'create', 'update', 'save', 'copy', 'move', 'rename']) {
      assert.equal(inferEndpointClass('path', op, 'tool.x'), 'fs.write', op);
    }
  });
  it('maps delete operations to fs.delete', () => {
    for (const op of ['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate']) {
      assert.equal(inferEndpointClass('path', op, 'tool.x'), 'fs.delete', op);
    }
  });
  it('operation wins over tool-name hints', () => {
    assert.equal(inferEndpointClass('path', 'read', 'fs.delete'), 'fs.read');
  });
  it('falls back to tool-name tokens in order read, write, delete', () => {
    assert.equal(inferEndpointClass('path', '', 'fs.read_file'), 'fs.read');
    assert.equal(inferEndpointClass('path', '', 'search'), 'fs.read');
    assert.equal(inferEndpointClass('path', 'chmod', 'mcp/fetch-url'), 'fs.read');
    assert.equal(inferEndpointClass('path', '', 'fs.save'), 'fs.write');
    assert.equal(inferEndpointClass('path', '', 'read.and.delete'), 'fs.read');
    assert.equal(inferEndpointClass('path', '', 'write.then.delete'), 'fs.write');
    assert.equal(inferEndpointClass('path', '', 'tool.rm'), 'fs.delete');
    assert.equal(inferEndpointClass('path', '', 'db.drop_table'), 'fs.delete');
  });
  it('matches whole tokens only (D2)', () => {
    assert.equal(inferEndpointClass('path', '', 'tool.format'), 'other');
    assert.equal(inferEndpointClass('path', '', 'tool.readfile'), 'other');
    assert.equal(inferEndpointClass('path', '', 'tool.thread'), 'other');
  });
  it('uses only the part after the last /', () => {
    assert.equal(inferEndpointClass('path', '', 'read/tool.x'), 'other');
    assert.equal(inferEndpointClass('path', '', 'srv/tool.read'), 'fs.read');
  });
});

describe('inferEndpointClass: host, url, other', () => {
  it('host and url: dns operations → net.dns, else net.http', () => {
    for (const kind of ['host', 'url']) {
      for (const op of ['dns', 'resolve', 'lookup']) assert.equal(inferEndpointClass(kind, op, 'x'), 'net.dns');
      assert.equal(inferEndpointClass(kind, '', 'x'), 'net.http');
      assert.equal(inferEndpointClass(kind, 'delete', 'tool.delete'), 'net.http');
    }
  });
  it('other: exec operations or exec tokens → proc.exec', () => {
    for (const op of ['exec', 'spawn', 'run', 'shell', 'command']) {
      assert.equal(inferEndpointClass('other', op, 'tool.x'), 'proc.exec', op);
    }
    for (const name of ['tool.exec', 'bash_shell', 'run', 'proc-spawn', 'x.command']) {
      assert.equal(inferEndpointClass('other', '', name), 'proc.exec', name);
    }
    assert.equal(inferEndpointClass('other', '', 'tool.prune'), 'other');
    assert.equal(inferEndpointClass('other', '', 'tool.runner'), 'other');
  });
  it('any other kind → other', () => {
    for (const kind of ['repo', 'bucket', 'table', 'queue', 'topic']) {
      assert.equal(inferEndpointClass(kind, 'delete', 'tool.delete'), 'other');
    }
  });
});

describe('toolNameTokens', () => {
  it('splits on every non [a-z0-9] character after the last /', () => {
    assert.deepEqual([...toolNameTokens('Srv/FS.Read_File-v2')], ['fs', 'read', 'file', 'v2']);
    assert.deepEqual([...toolNameTokens('a/b/')], []);
  });
});

describe('inferEndpointDomain: host', () => {
  it('strips scheme, path and port, lowercases', () => {
    assert.equal(inferEndpointDomain('host', 'api.external.com'), 'api.external.com');
    assert.equal(inferEndpointDomain('host', ' https://API.Example.com:8443/v1/x '), 'api.example.com');
    assert.equal(inferEndpointDomain('host', 'http://example.com'), 'example.com');
    assert.equal(inferEndpointDomain('host', 'example.com/path'), 'example.com');
    assert.equal(inferEndpointDomain('host', 'example.com:80'), 'example.com');
  });
  it('keeps other schemes as written (only http:// and https:// are stripped)', () => {
    assert.equal(inferEndpointDomain('host', 'ftp://example.com'), 'ftp');
  });
});

describe('inferEndpointDomain: url', () => {
  it('returns the authority host without port, lowercased', () => {
    assert.equal(inferEndpointDomain('url', 'https://API.internal.local/export'), 'api.internal.local');
    assert.equal(inferEndpointDomain('url', 'http://example.com:8080/a?b#c'), 'example.com');
    assert.equal(inferEndpointDomain('url', 'https://example.com?q=1'), 'example.com');
  });
  it('skips userinfo', () => {
    assert.equal(inferEndpointDomain('url', 'https://user:pa$$@Host.example:443/x'), 'host.example');
    assert.equal(inferEndpointDomain('url', 'https://a@b@c.example/x'), 'c.example');
  });
  it('strips IPv6 brackets and port', () => {
    assert.equal(inferEndpointDomain('url', 'http://[2001:DB8::1]:8080/'), '2001:db8::1');
    assert.equal(inferEndpointDomain('url', 'http://[::1]/'), '::1');
  });
  it('accepts scheme-relative //host', () => {
    assert.equal(inferEndpointDomain('url', '//cdn.example.com/x.js'), 'cdn.example.com');
  });
  it('applies no IDNA, percent-decoding or IPv4 canonicalization', () => {
    assert.equal(inferEndpointDomain('url', 'http://BÜCHER.example/'), 'bücher.example');
    assert.equal(inferEndpointDomain('url', 'http://%C3%A9.example/'), '%c3%a9.example');
    assert.equal(inferEndpointDomain('url', 'http://0x7f.1/'), '0x7f.1');
  });
  it('returns "" without an authority or when parsing fails', () => {
    assert.equal(inferEndpointDomain('url', 'example.com/path'), '');
    assert.equal(inferEndpointDomain('url', 'mailto:a@example.com'), '');
    assert.equal(inferEndpointDomain('url', 'file:///etc/passwd'), '');
    assert.equal(inferEndpointDomain('url', 'http://example.com:80a/'), '');
    assert.equal(inferEndpointDomain('url', 'http://[::1/'), '');
    assert.equal(inferEndpointDomain('url', 'http://exa mple.com/'), '');
    assert.equal(inferEndpointDomain('url', 'http://bad%zz.com/'), '');
    assert.equal(inferEndpointDomain('url', 'http://us er@example.com/'), '');
    assert.equal(inferEndpointDomain('url', '://example.com'), '');
    assert.equal(urlAuthorityHost('http://exa\u0001mple.com'), '');
  });
  it('other kinds have no domain', () => {
    assert.equal(inferEndpointDomain('path', 'https://example.com'), '');
    assert.equal(inferEndpointDomain('repo', 'github.com/a/b'), '');
  });
});

describe('inferDestructive', () => {
  it('is true for fs.delete and proc.exec classes', () => {
    assert.equal(inferDestructive('fs.delete', ''), true);
    assert.equal(inferDestructive('proc.exec', ''), true);
  });
  it('is true for destructive operations', () => {
    for (const op of ['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate', 'exec', 'spawn']) {
      assert.equal(inferDestructive('other', op), true, op);
    }
  });
  it('is false otherwise', () => {
    assert.equal(inferDestructive('fs.write', 'write'), false);
    assert.equal(inferDestructive('net.http', 'run'), false);
  });
});
