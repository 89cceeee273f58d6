import { Transform, type TransformCallback } from 'node:stream';
import type { BackupKind } from './backup-files';

/** What a backup holds: the tables and rows of a SQL dump, or the files of a data-directory archive. */
export type Listing = {
  kind: BackupKind;
  /** Uncompressed size. */
  bytes: number;
  tables: Array<{ name: string; rows: number }>;
  files: number;
};

const SQL_TRAILER = '-- PostgreSQL database dump complete';

/**
 * Passes the decompressed dump through unchanged while listing it. A dump cut short (no trailer, an
 * unterminated COPY, a tar without its end blocks) fails the stream, so nothing downstream commits.
 */
export function scanner(kind: BackupKind): Transform & { listing(): Listing } {
  const listing: Listing = { kind, bytes: 0, tables: [], files: 0 };
  const sql = kind === 'sql' ? sqlScanner(listing) : undefined;
  const tar = kind === 'tar' ? tarScanner(listing) : undefined;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      listing.bytes += chunk.length;
      try {
        sql?.push(chunk);
        tar?.push(chunk);
      } catch (err) {
        return cb(err as Error);
      }
      cb(null, chunk);
    },
    flush(cb) {
      try {
        sql?.end();
        tar?.end();
      } catch (err) {
        return cb(err as Error);
      }
      cb();
    },
  });
  return Object.assign(t, { listing: () => listing });
}

function sqlScanner(listing: Listing) {
  let rest = '';
  let copying: { name: string; rows: number } | undefined;
  let complete = false;
  const line = (l: string) => {
    if (copying) {
      if (l === '\\.') {
        listing.tables.push(copying);
        copying = undefined;
      } else copying.rows++;
      return;
    }
    const m = /^COPY (\S+) .*FROM stdin;$/.exec(l);
    if (m) copying = { name: m[1]!, rows: 0 };
    else if (l.startsWith(SQL_TRAILER)) complete = true;
  };
  return {
    push(chunk: Buffer) {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const l of lines) line(l);
    },
    end() {
      if (rest) line(rest);
      if (copying) throw new Error(`the dump ends inside the data of ${copying.name}: it is truncated`);
      if (!complete) throw new Error('the dump has no completion trailer: it is truncated');
    },
  };
}

/** Reads ustar headers as the archive streams by; file data is skipped, not kept. */
function tarScanner(listing: Listing) {
  let buffered = Buffer.alloc(0);
  let skip = 0;
  let ended = false;
  return {
    push(chunk: Buffer) {
      buffered = Buffer.concat([buffered, chunk]);
      while (!ended) {
        if (skip > 0) {
          const n = Math.min(skip, buffered.length);
          skip -= n;
          buffered = buffered.subarray(n);
          if (skip > 0) return;
        }
        if (buffered.length < 512) return;
        const header = buffered.subarray(0, 512);
        buffered = buffered.subarray(512);
        if (header.every((b) => b === 0)) {
          ended = true;
          return;
        }
        const size = Number.parseInt(
          header.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim() || '0',
          8,
        );
        if (!Number.isFinite(size)) throw new Error('the archive has a corrupt header');
        listing.files++;
        skip = Math.ceil(size / 512) * 512;
      }
    },
    end() {
      if (!ended) throw new Error('the archive has no end marker: it is truncated');
    },
  };
}
