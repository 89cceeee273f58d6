import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, toApiError } from './api';

describe('problem+json to ApiError', () => {
  it('keeps code, detail and field errors keyed by form field', async () => {
    const res = new Response(
      JSON.stringify({
        type: 'https://clockpilot.dev/problems/validation-failed',
        title: 'Bad Request',
        status: 400,
        code: 'validation_failed',
        detail: 'The request is not valid',
        errors: [
          { path: 'body.startedAt', message: 'Invalid date' },
          { path: 'body.breaks.0.endedAt', message: 'Too late' },
          { path: 'query.limit', message: 'Too big' },
        ],
      }),
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
    const e = await toApiError(res);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.fieldErrors).toEqual({
      startedAt: 'Invalid date',
      'breaks.0.endedAt': 'Too late',
      limit: 'Too big',
    });
    expect(errorMessage(e)).toBe('The request is not valid');
  });

  it('copes with a body that is not a problem', async () => {
    const e = await toApiError(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(e.status).toBe(502);
    expect(e.detail).toBe('Bad Gateway');
    expect(e.errors).toEqual([]);
    // The proxy's status text is not a sentence for people.
    expect(errorMessage(e)).toBe('The request failed (status 502)');
  });

  it('words network failures for people', () => {
    expect(errorMessage(new ApiError(0, {}))).toMatch(/cannot be reached/);
  });
});
