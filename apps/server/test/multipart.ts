import { randomBytes } from 'node:crypto';
import type { TestApp } from './helpers';
import type { ApiResponse, Caller } from './http';

export type Part = { name: string; value: string } | { name: string; fileName: string; data: Buffer };

/** A multipart/form-data body with its content type, parts in the order given. */
export function multipart(parts: Part[]) {
  const boundary = `----cp${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      'data' in p
        ? `form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: application/octet-stream`
        : `form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push('data' in p ? p.data : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs a multipart form under /api/v1. */
export async function postForm(t: TestApp, as: Caller, url: string, parts: Part[]): Promise<ApiResponse> {
  const { payload, contentType } = multipart(parts);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...(as?.headers ?? {}), 'content-type': contentType },
    payload,
  });
  const json = res.headers['content-type']?.toString().includes('json') && res.body ? res.json() : undefined;
  return { status: res.statusCode, body: json, headers: res.headers, raw: res.body };
}
