import { toApiError } from './api';
import { authFetch } from './auth';

/** The file name from a `content-disposition` header, if it names one. */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall back to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads a file the API streams, with the in-memory access token (a plain link would carry no
 * token). `onProgress` gets the bytes received so far and the total when the server tells it.
 * Throws ApiError when the server refuses.
 */
export async function downloadFile(
  path: string,
  opts: {
    fallbackName: string;
    signal?: AbortSignal;
    onProgress?: (received: number, total: number | null) => void;
  },
): Promise<string> {
  const res = await authFetch(path, { method: 'GET', signal: opts.signal });
  if (!res.ok) throw await toApiError(res);
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  const chunks: BlobPart[] = [];
  if (res.body) {
    const reader = res.body.getReader();
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      opts.onProgress?.(received, total);
    }
  } else {
    chunks.push(await res.blob());
  }
  const filename = filenameFrom(res.headers.get('content-disposition'), opts.fallbackName);
  saveBlob(new Blob(chunks, { type }), filename);
  return filename;
}
