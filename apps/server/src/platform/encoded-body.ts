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
const compressors: Record<Encoding, (raw: Buffer) => Promise<Buffer>> = {
  // Quality 4, as the compression plugin: the default 11 takes seconds over a few MB.
  br: (raw) =>
    brotli(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  gzip: promisify(zlib.gzip),
  deflate: promisify(zlib.deflate),
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
