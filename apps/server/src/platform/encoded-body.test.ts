import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EncodedBody } from './encoded-body';

describe('a body sent many times', () => {
  it('is compressed once per encoding and kept', async () => {
    const raw = Buffer.from(
      JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ i, x: [1, 2.5] })) }),
    );
    const body = new EncodedBody(raw);
    const gzip = await body.encoded('gzip');
    expect(gunzipSync(gzip).equals(raw)).toBe(true);
    expect(await body.encoded('gzip')).toBe(gzip);
    expect(inflateSync(await body.encoded('deflate')).equals(raw)).toBe(true);
    const br = await body.encoded('br');
    expect(brotliDecompressSync(br).equals(raw)).toBe(true);
    expect(br.length).toBeLessThan(raw.length / 4);
  });
});
