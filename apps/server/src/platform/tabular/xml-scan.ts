import { unreadable } from './limits';

/** What a scan reports: element names without their namespace prefix, text still XML-escaped. */
export type XmlHandler = {
  open(name: string, tag: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text between tags (entities not decoded), only while `wantText` answers true. */
  text(raw: string): void;
  wantText(): boolean;
};

// A tag or a value longer than this is no spreadsheet's (a cell holds at most 32,767 characters).
const MAX_PENDING = 4 * 1024 * 1024;

/** Refuses a value (a cell's text, all its runs together) grown past what any spreadsheet holds. */
export function boundedText(length: number) {
  if (length > MAX_PENDING) throw unreadable('The .xlsx file holds a text too long for a spreadsheet cell');
}

const local = (qname: string) => {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
};

/**
 * A streaming scanner for the few elements a spreadsheet part needs: it finds tags, comments,
 * CDATA and processing instructions in chunks of decoded text and hands the rest over as raw text.
 * No tree, no attribute objects: the caller reads the attributes it wants from the tag.
 */
export class XmlScanner {
  /**
   * An unfinished tag or section in the chunks it came in, joined once its end arrives: joining at
   * every chunk made a long tag cost the square of its length.
   */
  private pending: string[] = [];
  private pendingLength = 0;
  /** The quote open at the end of a pending tag. */
  private quote = 0;

  constructor(private readonly h: XmlHandler) {}

  feed(chunk: string) {
    if (this.pendingLength === 0) return this.scan(chunk);
    // A short start may not yet tell a comment from a CDATA section or a tag: scanned again whole.
    if (this.pendingLength < 16) return this.scan(this.release() + chunk);
    const end = this.endIn(chunk);
    if (end < 0) return this.hold(chunk);
    this.scan(this.release() + chunk.slice(0, end));
    this.scan(chunk.slice(end));
  }

  private release() {
    const held = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return held;
  }

  /** Where in `chunk` the pending tag or section ends (just past it); -1 if not in it. */
  private endIn(chunk: string) {
    const head = this.pending[0]!.length >= 16 ? this.pending[0]! : this.pending.join('');
    const terminator = head.startsWith('<!--') ? '-->' : head.startsWith('<![CDATA[') ? ']]>' : undefined;
    if (terminator) {
      // The terminator may begin in the last two characters held.
      const last = this.pending.at(-1)!;
      const tail = last.length >= 2 ? last.slice(-2) : this.pending.join('').slice(-2);
      const end = (tail + chunk).indexOf(terminator);
      return end < 0 ? -1 : end + 1;
    }
    if (head.charCodeAt(1) === 33 || head.charCodeAt(1) === 63) {
      const end = chunk.indexOf('>');
      return end < 0 ? -1 : end + 1;
    }
    let q = this.quote;
    for (let j = 0; j < chunk.length; j++) {
      const c = chunk.charCodeAt(j);
      if (q !== 0) {
        if (c === q) q = 0;
      } else if (c === 62) return j + 1;
      else if (c === 34 || c === 39) q = c;
    }
    this.quote = q;
    return -1;
  }

  private hold(piece: string) {
    this.pendingLength += piece.length;
    if (this.pendingLength > MAX_PENDING)
      throw unreadable('The .xlsx file holds an XML tag or section too long for a spreadsheet');
    this.pending.push(piece);
  }

  private scan(s: string) {
    const h = this.h;
    const len = s.length;
    let i = 0;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt !== i && h.wantText()) h.text(lt < 0 ? s.slice(i) : s.slice(i, lt));
      if (lt < 0) return;
      const next = s.charCodeAt(lt + 1);
      let end: number;
      if (next === 33 /* ! */ || next === 63 /* ? */) {
        end = this.special(s, lt);
        if (end < 0) return this.hold(s.slice(lt));
        i = end;
        continue;
      }
      // The tag's end: the first '>' outside a quoted attribute value.
      let q = 0;
      let j = lt + 1;
      for (; j < len; j++) {
        const c = s.charCodeAt(j);
        if (q !== 0) {
          if (c === q) q = 0;
        } else if (c === 62) break;
        else if (c === 34 || c === 39) q = c;
      }
      if (j >= len) {
        this.quote = q;
        return this.hold(s.slice(lt));
      }
      if (next === 47 /* / */) {
        h.close(local(s.slice(lt + 2, j).trim()));
      } else {
        const selfClosing = s.charCodeAt(j - 1) === 47;
        const tag = s.slice(lt + 1, selfClosing ? j - 1 : j);
        let k = 0;
        while (k < tag.length && tag.charCodeAt(k) > 32 && tag.charCodeAt(k) !== 47) k++;
        const name = local(tag.slice(0, k));
        h.open(name, tag, selfClosing);
        if (selfClosing) h.close(name);
      }
      i = j + 1;
    }
  }

  /** The end of a comment, CDATA section, declaration or processing instruction; -1 if not in `s` yet. */
  private special(s: string, lt: number) {
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      return end < 0 ? -1 : end + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      // Handed over escaped, so that decoding the text gives back the section's characters.
      if (this.h.wantText()) this.h.text(s.slice(lt + 9, end).replace(/&/g, '&amp;'));
      return end + 3;
    }
    if (s.length < lt + 9 && '<![CDATA['.startsWith(s.slice(lt, lt + 9))) return -1;
    const end = s.indexOf('>', lt);
    return end < 0 ? -1 : end + 1;
  }
}

/** An attribute's raw value from a tag as the scanner gives it (`c r="A1" t="s"`); undefined if absent. */
export function attribute(tag: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = tag.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + name.length;
    const before = tag.charCodeAt(at - 1);
    // A whole, unprefixed attribute name: after whitespace, followed by '='.
    if (before !== 32 && before !== 9 && before !== 10 && before !== 13) continue;
    let k = from;
    while (tag.charCodeAt(k) === 32) k++;
    if (tag.charCodeAt(k) !== 61) continue;
    k++;
    while (tag.charCodeAt(k) === 32) k++;
    const quote = tag[k];
    if (quote !== '"' && quote !== "'") continue;
    const end = tag.indexOf(quote, k + 1);
    return end < 0 ? undefined : tag.slice(k + 1, end);
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with its XML entities and character references decoded. */
export function xmlDecode(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e.charCodeAt(0) !== 35) return NAMED[e]!;
    const code = e.charCodeAt(1) === 120 ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}
