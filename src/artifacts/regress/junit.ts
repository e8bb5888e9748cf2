/**
 * JUnit XML for `regress run --junit` (artifacts.md §4.4), byte for byte: one suite named
 * `gait.regress.<fixture_set>`, one testcase per grader, `<failure>` carrying the sorted unique
 * reason codes. Escaping follows Go's `encoding/xml` (`EscapeText`), which Gait v1 writes with.
 */
import type { GraderResult } from './types.js';

/** Go `xml.EscapeText`: `"` `'` `&` `<` `>` tab, LF and CR as character references; invalid XML characters → U+FFFD. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '&#34;';
        break;
      case "'":
        out += '&#39;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '\t':
        out += '&#x9;';
        break;
      case '\n':
        out += '&#xA;';
        break;
      case '\r':
        out += '&#xD;';
        break;
      default:
        out += isXmlChar(cp) ? ch : '\uFFFD';
    }
  }
  return out;
}

/** XML 1.0 `Char` production. */
function isXmlChar(cp: number): boolean {
  return cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function testcase(g: GraderResult): string[] {
  const open = `    <testcase name="${escapeXml(g.grader)}" classname="${escapeXml(g.fixture)}" time="0">`;
  if (g.status === 'pass') return [`${open}</testcase>`];
  const text = escapeXml(g.reasonCodes.length === 0 ? 'failed' : g.reasonCodes.join(','));
  return [open, `      <failure message="${text}" type="regress_failure">${text}</failure>`, '    </testcase>'];
}

/**
 * The JUnit document for sorted grader results.
 * @example renderJunit('default', []) // '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="0" …'
 */
export function renderJunit(fixtureSet: string, graders: readonly GraderResult[]): string {
  const n = graders.length;
  const f = graders.filter((g) => g.status === 'fail').length;
  const suite = fixtureSet === '' ? 'gait.regress' : `gait.regress.${fixtureSet}`;
  const counts = `tests="${n}" failures="${f}" errors="0" skipped="0" time="0"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${counts}>`,
    `  <testsuite name="${escapeXml(suite)}" ${counts}>`,
    ...graders.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}
