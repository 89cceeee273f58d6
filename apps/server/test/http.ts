import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './helpers';

/** Who calls: anything with auth headers (a signed-in user, a bearer token), or null for nobody. */
export type Caller = { headers: Record<string, string> } | null;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ApiResponse = {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
  body: any;
  headers: LightMyRequestResponse['headers'];
  /** The body as sent. */
  raw: string;
};

/** Calls the API under /api/v1 (`url` starts below it); `body` is the parsed JSON, when it is JSON. */
export async function request(
  t: TestApp,
  as: Caller,
  method: Method,
  url: string,
  payload?: object,
): Promise<ApiResponse> {
  const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: as?.headers ?? {}, payload });
  const json = res.headers['content-type']?.toString().includes('json') && res.body ? res.json() : undefined;
  return { status: res.statusCode, body: json, headers: res.headers, raw: res.body };
}

/** A caller holding a bearer token (an access or a personal API token). */
export const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });

/** The field paths of a problem's errors, sorted. */
export const errorPaths = (body: { errors?: Array<{ path: string }> }) =>
  (body.errors ?? []).map((e) => e.path).sort();
