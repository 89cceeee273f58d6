import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IMPORT_KINDS, type TImportKind } from '@clockpilot/contracts';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors';

export type Upload = { fields: Record<string, string>; fileName: string; path: string; bytes: number };

/** The largest file each kind takes; assignments are project planning, so they share the projects limit. */
export type UploadLimits = Record<TImportKind, number>;

const tooLarge = (max: number) =>
  new AppError(
    'payload_too_large',
    `The file is larger than ${max} bytes, the most this import accepts; nothing was kept`,
    {
      errors: [{ path: 'body.file', message: `At most ${max} bytes` }],
    },
  );
const bad = (path: string, message: string) =>
  new AppError('bad_request', message, { errors: [{ path, message }] });

/** Counts bytes as they pass and fails the stream as soon as there are more than `max`. */
function capped(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > max ? tooLarge(max) : null, chunk);
    },
  });
}

const isKind = (v: string | undefined): v is TImportKind => IMPORT_KINDS.includes(v as TImportKind);

/**
 * Streams a multipart upload's `file` to `<dir>/<kind>/` (mode 0600) under the kind's size limit,
 * keeping memory flat: the bytes go to disk as they arrive, and the stream stops at the limit. A
 * declared length over every limit is refused before a byte is read. Fields sent before the file
 * choose its limit; when `kind` comes after it, the file is held to the largest limit and checked
 * once the kind is known. Anything refused is deleted.
 */
export async function receiveUpload(req: FastifyRequest, dir: string, limits: UploadLimits): Promise<Upload> {
  const largest = Math.max(...Object.values(limits));
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  // Multipart framing adds a few hundred bytes around the file.
  if (declared > largest + 64 * 1024) throw tooLarge(largest);
  if (!req.isMultipart())
    throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
  const fields: Record<string, string> = {};
  let file: { path: string; fileName: string } | undefined;
  try {
    for await (const part of req.parts({
      limits: { files: 1, fields: 10, fieldSize: 100_000, fileSize: largest + 1 },
    })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw bad(`body.${part.fieldname}`, 'The only file field is "file"');
      }
      const kind = isKind(fields.kind) ? fields.kind : undefined;
      const folder = join(dir, kind ?? 'unsorted');
      await mkdir(folder, { recursive: true, mode: 0o700 });
      file = { path: join(folder, `${randomUUID()}.upload`), fileName: part.filename || 'upload' };
      await pipeline(
        part.file,
        capped(kind ? limits[kind] : largest),
        createWriteStream(file.path, { mode: 0o600, flags: 'wx' }),
      );
    }
    if (!file) throw bad('body.file', 'Attach the spreadsheet as the field "file"');
    const kind = fields.kind;
    if (!isKind(kind)) throw bad('body.kind', `kind must be one of ${IMPORT_KINDS.join(', ')}`);
    const { size } = await stat(file.path);
    if (size > limits[kind]) throw tooLarge(limits[kind]);
    if (!file.path.startsWith(join(dir, kind))) {
      const target = join(dir, kind, `${randomUUID()}.upload`);
      await mkdir(join(dir, kind), { recursive: true, mode: 0o700 });
      await rename(file.path, target);
      file.path = target;
    }
    return { fields, fileName: file.fileName.slice(0, 255), path: file.path, bytes: size };
  } catch (err) {
    if (file) await unlink(file.path).catch(() => {});
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(largest);
    throw err;
  }
}
