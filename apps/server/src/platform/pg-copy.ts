import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbOrTx } from './db';

/**
 * Bulk writes by `COPY … FROM STDIN (FORMAT binary)`: a batch's rows as one buffer in PostgreSQL's
 * binary row format, with no statement text to build, escape or parse (the array literals of an
 * `unnest` insert were a tenth of a tick's work on both sides). PostgreSQL only, in a transaction;
 * elsewhere (PGlite, the pool) `copyIn` answers false and the caller writes with a statement.
 */

/** The transaction's node-postgres connection; null on PGlite and outside a transaction. */
function connectionOf(db: DbOrTx): pg.Client | null {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : null;
}

/** Runs `copy` (a `COPY … FROM STDIN (FORMAT binary)`) with `rows`; false when the connection cannot. */
export async function copyIn(db: DbOrTx, copy: string, rows: () => Buffer): Promise<boolean> {
  const client = connectionOf(db);
  if (!client) return false;
  const data = rows();
  const stream = client.query(copyFrom(copy));
  stream.end(data);
  await finished(stream);
  return true;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** PostgreSQL's epoch (2000-01-01 UTC) in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;

/** A hex digit's value, -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Rows in COPY's binary format, written into one growing buffer. */
export class CopyRows {
  private buf: Buffer;
  private at = 0;

  /** `estimate`: the bytes expected, so the buffer rarely grows. */
  constructor(estimate: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, estimate));
    this.at = SIGNATURE.copy(this.buf, 0);
    this.at = this.buf.writeInt32BE(0, this.at); // flags
    this.at = this.buf.writeInt32BE(0, this.at); // header extension length
  }

  private room(n: number) {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number) {
    this.room(2);
    this.at = this.buf.writeInt16BE(fields, this.at);
  }

  private null() {
    this.room(4);
    this.at = this.buf.writeInt32BE(-1, this.at);
  }

  /** A uuid from its text (36 characters with dashes, or 32 without). */
  uuid(id: string) {
    this.room(20);
    const b = this.buf;
    let at = b.writeInt32BE(16, this.at);
    const end = at + 16;
    for (let i = 0; i < id.length && at < end; i++) {
      const c = id.charCodeAt(i);
      if (c === 45) continue; // '-'
      const hi = HEX[c] ?? -1;
      const lo = HEX[id.charCodeAt(++i)] ?? -1;
      if (hi < 0 || lo < 0) throw new Error(`not a uuid: ${id}`);
      b[at++] = (hi << 4) | lo;
    }
    if (at !== end) throw new Error(`not a uuid: ${id}`);
    this.at = at;
  }

  /** An int4; null, undefined and a number that is not finite as NULL (as the array literals did). */
  int(x: number | null | undefined) {
    if (x == null || !Number.isFinite(x)) return this.null();
    // A fraction would be cut silently here; PostgreSQL refused it as a statement's parameter.
    if (!Number.isInteger(x)) throw new Error(`not an integer: ${x}`);
    this.room(8);
    this.at = this.buf.writeInt32BE(4, this.at);
    this.at = this.buf.writeInt32BE(x, this.at);
  }

  /** A float8; null, undefined and a number that is not finite as NULL (as the array literals did). */
  float(x: number | null | undefined) {
    if (x == null || !Number.isFinite(x)) return this.null();
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeDoubleBE(x, this.at);
  }

  /** A timestamptz from Unix milliseconds (microseconds since 2000-01-01 UTC, an int64). */
  time(ms: number) {
    this.room(12);
    const us = (ms - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(us / TWO_32);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeInt32BE(hi, this.at);
    this.at = this.buf.writeUInt32BE(us - hi * TWO_32, this.at);
  }

  /** A text (or json) field, UTF-8. */
  text(s: string) {
    this.room(4 + s.length * 3);
    const n = this.buf.write(s, this.at + 4, 'utf8');
    this.buf.writeInt32BE(n, this.at);
    this.at += 4 + n;
  }

  /** A field of bytes as they are (a json field's UTF-8 text). */
  bytes(b: Buffer) {
    this.room(4 + b.length);
    this.at = this.buf.writeInt32BE(b.length, this.at);
    this.at += b.copy(this.buf, this.at);
  }

  /** The rows with COPY's trailer. */
  end(): Buffer {
    this.room(2);
    this.at = this.buf.writeInt16BE(-1, this.at);
    return this.buf.subarray(0, this.at);
  }
}

/** A column of a table's COPY: its name and how a row's value goes into the binary rows. */
export type CopyColumn<T> = { name: string; put: (out: CopyRows, row: T) => void };

/** Columns by kind, each writing what `of` reads from the row. */
export const copyColumn = {
  uuid: <T>(name: string, of: (row: T) => string): CopyColumn<T> => ({ name, put: (o, r) => o.uuid(of(r)) }),
  time: <T>(name: string, of: (row: T) => number): CopyColumn<T> => ({ name, put: (o, r) => o.time(of(r)) }),
  int: <T>(name: string, of: (row: T) => number | null): CopyColumn<T> => ({
    name,
    put: (o, r) => o.int(of(r)),
  }),
  float: <T>(name: string, of: (row: T) => number | null): CopyColumn<T> => ({
    name,
    put: (o, r) => o.float(of(r)),
  }),
  text: <T>(name: string, of: (row: T) => string): CopyColumn<T> => ({ name, put: (o, r) => o.text(of(r)) }),
  bytes: <T>(name: string, of: (row: T) => Buffer): CopyColumn<T> => ({
    name,
    put: (o, r) => o.bytes(of(r)),
  }),
};

/**
 * A table's binary COPY: the statement names the columns and the rows are written in that same
 * order, from one list, so the two cannot disagree. `rowBytes`: a row's expected size, for the buffer.
 * Answers false where `copyIn` cannot (the caller then writes with a statement).
 */
export function copyInto<T>(table: string, columns: CopyColumn<T>[], rowBytes: (row: T) => number) {
  const copy = `copy ${table} (${columns.map((c) => c.name).join(', ')}) from stdin (format binary)`;
  return (db: DbOrTx, rows: T[]) =>
    copyIn(db, copy, () => {
      let size = 32;
      for (const r of rows) size += rowBytes(r);
      const out = new CopyRows(size);
      for (const r of rows) {
        out.row(columns.length);
        for (const c of columns) c.put(out, r);
      }
      return out.end();
    });
}
