import type { TLoginBody, TMe, TTokenResponse } from '@clockpilot/contracts';
import { ApiError, toApiError } from './api';

/**
 * The signed-in state of the browser. The access token lives in this module's memory only; the
 * refresh token is an HttpOnly cookie the script never sees. Nothing secret goes to localStorage.
 */
export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';
export type AuthState = {
  status: AuthStatus;
  user: TMe | null;
  /** Why the last session ended: the user logged out, or the session could not be renewed. */
  ended?: 'logout' | 'expired';
};

const REFRESH_PATH = '/api/v1/auth/refresh';
/** Renew this long before the access token runs out. */
const RENEW_EARLY_MS = 60_000;

let state: AuthState = { status: 'loading', user: null };
let accessToken: string | null = null;
let expiresAt = 0;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;
let started: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: AuthState) {
  state = next;
  for (const l of listeners) l();
}

export const auth = {
  getState: (): AuthState => state,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Resolves once the first silent refresh has told whether a session exists. */
  ready(): Promise<void> {
    started ??= refresh().then(() => undefined);
    return started;
  },
  get user(): TMe | null {
    return state.user;
  },
  /** The access token for the first message of a WebSocket (never put in a URL). */
  accessToken: (): string | null => accessToken,
  /** For tests and the end-to-end harness only: whether a token is held. */
  hasToken: () => accessToken !== null,
};

function accept(tokens: Pick<TTokenResponse, 'accessToken' | 'expiresIn'> & { user?: TMe }) {
  accessToken = tokens.accessToken;
  expiresAt = Date.now() + tokens.expiresIn * 1000;
  clearTimeout(renewTimer);
  const wait = Math.max(5_000, tokens.expiresIn * 1000 - RENEW_EARLY_MS);
  renewTimer = setTimeout(() => void refresh(), wait);
}

function clear(ended?: AuthState['ended']) {
  accessToken = null;
  expiresAt = 0;
  clearTimeout(renewTimer);
  set({ status: 'signed-out', user: null, ended });
}

async function fetchMe(): Promise<TMe> {
  const res = await fetch('/api/v1/auth/me', {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as TMe;
}

/** The refresh index.html started before this code loaded; usable once (the token rotates). */
function takeEarlyRefresh(): Promise<Response | null> | null {
  const w = globalThis as { __cpSession?: Promise<Response | null> };
  const early = w.__cpSession;
  w.__cpSession = undefined;
  return early ?? null;
}

/**
 * Renews the access token through the refresh cookie. Single-flight: parallel callers share one
 * request, so a burst of 401s renews once.
 */
export function refresh(): Promise<boolean> {
  inflight ??= (async () => {
    const hadSession = state.status === 'signed-in';
    try {
      const res =
        (await takeEarlyRefresh()) ??
        (await fetch(REFRESH_PATH, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
        }));
      if (!res.ok) {
        clear(hadSession ? 'expired' : undefined);
        return false;
      }
      const body = (await res.json()) as Partial<TTokenResponse>;
      if (!body.accessToken || typeof body.expiresIn !== 'number') {
        clear(hadSession ? 'expired' : undefined);
        return false;
      }
      accept({ accessToken: body.accessToken, expiresIn: body.expiresIn });
      const user = body.user ?? (await fetchMe());
      set({ status: 'signed-in', user });
      return true;
    } catch {
      // The server is unreachable: keep a live session as it is (the next call retries), else signed out.
      if (!hadSession) clear();
      return hadSession && accessToken !== null && Date.now() < expiresAt;
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** Renews when the tab comes back after its timers were throttled. */
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (
      document.visibilityState === 'visible' &&
      state.status === 'signed-in' &&
      Date.now() > expiresAt - RENEW_EARLY_MS
    ) {
      void refresh();
    }
  });
}

/** Signs in; throws ApiError (`totp_required` when a second factor is needed, 401 on bad credentials). */
export async function login(body: TLoginBody): Promise<TMe> {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await toApiError(res);
  const tokens = (await res.json()) as TTokenResponse;
  accept(tokens);
  started = Promise.resolve();
  set({ status: 'signed-in', user: tokens.user });
  return tokens.user;
}

/** Ends the session on the server (revoking the refresh token) and forgets the access token. */
export async function logout(): Promise<void> {
  try {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    });
  } catch {
    // Signed out locally either way.
  } finally {
    clear('logout');
  }
}

/** Replaces the cached user after a change to the profile. */
export function setUser(user: TMe) {
  if (state.status === 'signed-in') set({ ...state, user });
}

type RequestOptions = {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
};

function withQuery(path: string, query?: RequestOptions['query']) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** The raw authenticated fetch: bearer token, one silent refresh and retry on a 401. */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  if (!accessToken && state.status !== 'signed-out') await auth.ready();
  const send = () => {
    const headers = new Headers(init.headers);
    if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
    return fetch(path, { ...init, headers, credentials: 'same-origin' });
  };
  let res: Response;
  try {
    res = await send();
    if (res.status === 401 && (await refresh())) res = await send();
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: (e as Error).message });
  }
  return res;
}

/** A JSON call to the API; throws ApiError with the problem's code and field errors. */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await authFetch(withQuery(path, opts.query), {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/**
 * A multipart upload that reports its progress (fetch cannot), with the same bearer token and the
 * same one refresh and retry on a 401 as `api()`. `onProgress` gets the share sent, 0 to 1.
 */
export async function upload<T>(
  path: string,
  body: FormData,
  onProgress: (share: number) => void,
): Promise<T> {
  if (!accessToken && state.status !== 'signed-out') await auth.ready();
  const send = () =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('accept', 'application/json');
      if (accessToken) xhr.setRequestHeader('authorization', `Bearer ${accessToken}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () =>
        resolve(
          new Response(xhr.responseText, {
            status: xhr.status,
            headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'text/plain' },
          }),
        );
      xhr.onerror = () =>
        reject(new ApiError(0, { title: 'Network error', detail: 'The upload was interrupted' }));
      xhr.send(body);
    });
  let res = await send();
  if (res.status === 401 && (await refresh())) res = await send();
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}
