import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmlScanner } from './xml-scan';

/** What a scan reported, neighbouring texts joined and empty ones left out (chunk boundaries split texts). */
function scan(chunks: string[]) {
  const out: string[] = [];
  const scanner = new XmlScanner({
    open: (name, tag, selfClosing) => out.push(`open ${name} [${tag}]${selfClosing ? ' /' : ''}`),
    close: (name) => out.push(`close ${name}`),
    text: (raw) => {
      if (raw === '') return;
      const last = out.length - 1;
      if (out[last]?.startsWith('text ')) out[last] += raw;
      else out.push(`text ${raw}`);
    },
    wantText: () => true,
  });
  for (const chunk of chunks) scanner.feed(chunk);
  return out;
}

const piece = fc.oneof(
  fc.constantFrom(
    '<row r="1">',
    '</row>',
    '<c r="A1" t="s"/>',
    '<x:v a=\'1>2\' b="<q>">',
    '</x:v>',
    '<!-- a -> b -- c -->',
    '<![CDATA[a ]] > & <b>]]>',
    '<?xml version="1.0"?>',
    '<!DOCTYPE x>',
    'text &amp; more',
  ),
  fc.string({ unit: fc.constantFrom('a', ' ', '1', '&', ';') }),
);

describe('the XML scanner', () => {
  it('reports the same tags, sections and text however the document is split into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (pieces, cuts) => {
          const doc = pieces.join('');
          const at = [...new Set(cuts.map((c) => c % (doc.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, k) => doc.slice(from, at[k] ?? doc.length));
          expect(scan(chunks)).toEqual(scan([doc]));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a long tag that arrives one character at a time', () => {
    const tag = `<c r="A1" v="${'x>'.repeat(5000)}">`;
    const doc = `<row>${tag}</c></row>`;
    expect(scan([...doc])).toEqual(scan([doc]));
    expect(scan([doc])[1]).toBe(`open c [${tag.slice(1, -1)}]`);
  });
});
