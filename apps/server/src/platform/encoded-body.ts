import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Bodies smaller than this go uncompressed (the compression plugin's threshold too). */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Encodings a kept body is offered in, most preferred first; `identity` is the raw bytes. The
 * compression plugin is given the same list (`COMPRESS_ENCODINGS`), so a client never gets an
 * encoding here that the plugin would not pick (it would offer zstd first on newer Node).
 */
export const OFFERED = ['br', 'gzip', 'deflate', 'identity'] as const;
export type Encoding = Exclude<(typeof OFFERED)[number], 'identity'>;
export const COMPRESS_ENCODINGS: Encoding[] = ['br', 'gzip', 'deflate'];

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
/**
 * Brotli's quality 1 and zlib's fastest level: a kept body is compressed on the request that made it
 * (the client waits for it) and on the same two cores as everything else. The bench's 4.8 MB grid:
 * brotli quality 4 (the plugin's) ~85 ms of CPU for 248 KB, quality 1 ~7 ms for 271 KB; gzip's
 * default level ~30 ms for 273 KB, level 1 ~10 ms for 316 KB (bench/RESULTS.md, docs/DECISIONS.md).
 */
const compressors: Record<Encoding, (raw: Buffer) => Promise<Buffer>> = {
  br: (raw) =>
    brotli(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  gzip: (raw) => gzip(raw, { level: zlib.constants.Z_BEST_SPEED }),
  deflate: (raw) => deflate(raw, { level: zlib.constants.Z_BEST_SPEED }),
};

/**
 * A body sent many times (a cached answer of a few MB): each encoding a client asks for is made once,
 * on zlib's thread pool rather than the event loop, and kept with the raw bytes.
 */
export class EncodedBody {
  readonly #forms = new Map<Encoding, Promise<Buffer>>();

  constructor(readonly raw: Buffer) {}

  encoded(encoding: Encoding): Promise<Buffer> {
    let form = this.#forms.get(encoding);
    if (!form) {
      form = compressors[encoding](this.raw);
      // A failed compression is not kept: the next send tries again.
      form.catch(() => this.#forms.delete(encoding));
      this.#forms.set(encoding, form);
    }
    return form;
  }
}
