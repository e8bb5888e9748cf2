import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileAny, compileDomainPattern, compileGlob, compilePathPattern } from '../../../src/policy/glob.js';

function glob(pattern: string, value: string): boolean | 'malformed' {
  const m = compileGlob(pattern);
  return m === undefined ? 'malformed' : m(value);
}

describe('compileGlob()', () => {
  it('matches literals exactly', () => {
    assert.equal(glob('/tmp/a.txt', '/tmp/a.txt'), true);
    assert.equal(glob('/tmp/a.txt', '/tmp/a.txtx'), false);
  });
  it('* matches a run of non-slash characters', () => {
    assert.equal(glob('/tmp/*.txt', '/tmp/out.txt'), true);
    assert.equal(glob('/tmp/*.txt', '/tmp/.txt'), true);
    assert.equal(glob('/tmp/*.txt', '/tmp/a/b.txt'), false);
    assert.equal(glob('/tmp/*', '/tmp/abc'), true);
    assert.equal(glob('/tmp/*', '/tmp/a/b'), false);
    assert.equal(glob('*', ''), true);
    assert.equal(glob('a*b*c', 'aXXbYYc'), true);
    assert.equal(glob('a*b*c', 'aXXbYYcZ'), false);
    assert.equal(glob('**', 'abc'), true);
  });
  it('? matches one non-slash character (a code point)', () => {
    assert.equal(glob('a?c', 'abc'), true);
    assert.equal(glob('a?c', 'a/c'), false);
    assert.equal(glob('a?c', 'ac'), false);
    assert.equal(glob('a?c', 'a😀c'), true);
  });
  it('supports classes, negation and ranges', () => {
    assert.equal(glob('file[0-9].log', 'file7.log'), true);
    assert.equal(glob('file[0-9].log', 'fileA.log'), false);
    assert.equal(glob('file[^0-9].log', 'fileA.log'), true);
    assert.equal(glob('file[^0-9].log', 'file7.log'), false);
    assert.equal(glob('[abc]', 'b'), true);
    assert.equal(glob('[a-cx-z]', 'y'), true);
    assert.equal(glob('[\\]]', ']'), true);
    assert.equal(glob('[\\-]', '-'), true);
  });
  it('honours backslash escapes', () => {
    assert.equal(glob('a\\*b', 'a*b'), true);
    assert.equal(glob('a\\*b', 'axb'), false);
    assert.equal(glob('a\\?', 'a?'), true);
  });
  it('reports malformed patterns (they match nothing)', () => {
    assert.equal(glob('a[', 'a['), 'malformed');
    assert.equal(glob('[]a]', 'a'), 'malformed');
    assert.equal(glob('[a-]', 'a'), 'malformed');
    assert.equal(glob('[^]', 'a'), 'malformed');
    assert.equal(glob('a\\', 'a'), 'malformed');
    assert.equal(glob('x*[', 'xyz'), 'malformed');
  });
});

describe('compilePathPattern()', () => {
  it('matches equal values', () => {
    assert.equal(compilePathPattern('/etc/passwd')('/etc/passwd'), true);
    assert.equal(compilePathPattern('/etc/passwd')('/etc/passwd2'), false);
  });
  it('P/** matches P and anything under P/', () => {
    const m = compilePathPattern('/repo/**');
    assert.equal(m('/repo'), true);
    assert.equal(m('/repo/a'), true);
    assert.equal(m('/repo/a/b/c'), true);
    assert.equal(m('/repository'), false);
  });
  it('falls back to a glob', () => {
    assert.equal(compilePathPattern('/tmp/*.txt')('/tmp/x.txt'), true);
    assert.equal(compilePathPattern('/tmp/*.txt')('/tmp/x.md'), false);
  });
  it('a malformed pattern only matches itself literally', () => {
    assert.equal(compilePathPattern('/tmp/[')('/tmp/['), true);
    assert.equal(compilePathPattern('/tmp/[')('/tmp/a'), false);
  });
  it('treats backslash in values as an ordinary character', () => {
    assert.equal(compilePathPattern('C:\\\\dir')('C:\\dir'), true);
  });
});

describe('compileDomainPattern()', () => {
  it('matches equal names', () => {
    assert.equal(compileDomainPattern('api.example.com')('api.example.com'), true);
    assert.equal(compileDomainPattern('api.example.com')('example.com'), false);
  });
  it('*.x matches names ending in .x but not x itself', () => {
    const m = compileDomainPattern('*.example.com');
    assert.equal(m('api.example.com'), true);
    assert.equal(m('a.b.example.com'), true);
    assert.equal(m('example.com'), false);
    assert.equal(m('badexample.com'), false);
  });
  it('falls back to a glob', () => {
    assert.equal(compileDomainPattern('api?.example.com')('api1.example.com'), true);
    assert.equal(compileDomainPattern('api?.example.com')('api12.example.com'), false);
  });
});

describe('compileAny()', () => {
  it('is true when any pattern matches and false for an empty list', () => {
    const m = compileAny(['/a/**', '/b/*.txt'], compilePathPattern);
    assert.equal(m('/a/x'), true);
    assert.equal(m('/b/y.txt'), true);
    assert.equal(m('/c'), false);
    assert.equal(compileAny([], compilePathPattern)('/a'), false);
  });
});
