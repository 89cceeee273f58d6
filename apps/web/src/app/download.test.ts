import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi, problem } from '../test/render';
import { downloadFile, filenameFrom } from './download';

afterEach(() => vi.restoreAllMocks());

describe('file downloads', () => {
  it('reads the file name from content-disposition', () => {
    expect(filenameFrom('attachment; filename="time-2026-11.csv"', 'x.csv')).toBe('time-2026-11.csv');
    expect(filenameFrom("attachment; filename*=UTF-8''Zeit%20%C3%BCbersicht.xlsx", 'x')).toBe(
      'Zeit übersicht.xlsx',
    );
    expect(filenameFrom(null, 'fallback.csv')).toBe('fallback.csv');
  });

  it('streams the body with the access token, reports progress and saves the blob', async () => {
    const fetchMock = mockApi(
      () =>
        new Response('a,b\n1,2\n', {
          status: 200,
          headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="t.csv"' },
        }),
    );
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:test';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const progress: number[] = [];
    const name = await downloadFile('/api/v1/time/exports?format=csv', {
      fallbackName: 'x.csv',
      onProgress: (received) => progress.push(received),
    });
    expect(name).toBe('t.csv');
    expect(click).toHaveBeenCalledTimes(1);
    expect(await created[0]?.text()).toBe('a,b\n1,2\n');
    expect(progress.at(-1)).toBe(8);
    const exportCall = fetchMock.mock.calls.find(([u]) => String(u).includes('/exports'));
    expect(new Headers(exportCall?.[1]?.headers).get('authorization')).toBe('Bearer test-token');
  });

  it('throws the problem when the server refuses', async () => {
    mockApi(() => problem(422, { code: 'unprocessable', detail: 'At most 366 days at a time' }));
    await expect(downloadFile('/api/v1/time/exports', { fallbackName: 'x' })).rejects.toMatchObject({
      status: 422,
      detail: 'At most 366 days at a time',
    });
  });
});
