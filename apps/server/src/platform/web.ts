import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/load';
import { type ThirdPartyOrigins, thirdPartyOrigins } from '../config/options/payments';
import { problem } from './errors';
import { CSP_REPORT_GROUP } from './security';

/** The placeholder the web build writes where each HTML response gets its own nonce (apps/web/vite.config.ts). */
export const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__';

/** Hashed build output: the file name changes whenever its content does. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export type WebApp = {
  /** The folder served at `/`. */
  dir: string;
  /** Whether a not-found request should get the single-page app instead of a problem. */
  wantsSpa(request: FastifyRequest): boolean;
  /** Answers index.html with a fresh nonce and its CSP (or a page saying the app is not built). */
  sendIndex(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
};

/** apps/web/dist of the repository this server runs from, whether from src/ (tsx) or a build in dist/. */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'apps', 'web'))) return join(dir, 'apps', 'web', 'dist');
    dir = dirname(dir);
  }
  return resolve(process.cwd(), 'apps', 'web', 'dist');
}

export function contentSecurityPolicy(
  nonce: string,
  reportUri: string | undefined,
  thirdParty: ThirdPartyOrigins = { script: [], frame: [], connect: [] },
): string {
  const plus = (list: string[]) => list.map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${plus(thirdParty.script)}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    `connect-src 'self'${plus(thirdParty.connect)}`,
    ...(thirdParty.frame.length > 0 ? [`frame-src${plus(thirdParty.frame)}`] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ...(reportUri ? [`report-uri ${reportUri}`, `report-to ${CSP_REPORT_GROUP}`] : []),
  ].join('; ');
}

const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ClockPilot — web app not built</title>
<style nonce="${CSP_NONCE_PLACEHOLDER}">body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1a1b1e}code{background:#f1f3f5;padding:.1rem .3rem;border-radius:4px}</style>
</head><body><h1>The web app has not been built yet</h1>
<p>The API is running, but there is no web build in <code>__DIR__</code>.</p>
<p>Build it with <code>npm run build -w @clockpilot/web</code> (or <code>npm run build</code>), then reload.
<code>npm start</code> builds it automatically on first start.</p>
<p>API health: <a href="/api/health">/api/health</a></p></body></html>`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Serves the built single-page app: hashed assets cached for a year, index.html never cached and
 * stamped with a per-response CSP nonce, and index.html for every client-side route.
 */
export async function registerWeb(app: FastifyInstance, config: Config): Promise<WebApp> {
  const dir = resolve(config.server.webDir ?? defaultWebDir());
  const indexPath = join(dir, 'index.html');
  const assetsDir = `${join(dir, 'assets')}${sep}`;
  const { cspEnabled, cspReportOnly, cspReportUri } = config.security;
  const thirdParty = thirdPartyOrigins(config);

  let cached: { mtimeMs: number; html: string } | undefined;
  /** index.html as built; re-read when a new build replaces it while the server runs. */
  async function template(): Promise<string | undefined> {
    try {
      const s = await stat(indexPath);
      if (!cached || cached.mtimeMs !== s.mtimeMs) {
        cached = { mtimeMs: s.mtimeMs, html: await readFile(indexPath, 'utf8') };
      }
      return cached.html;
    } catch {
      cached = undefined;
      return undefined;
    }
  }

  await app.register(fastifyStatic, {
    root: dir,
    serve: false,
    // index.html goes through sendIndex only, so it always carries a fresh nonce.
    index: false,
    cacheControl: false,
    dotfiles: 'deny',
    // The build writes .br and .gz next to each large asset; compressing once beats per request.
    preCompressed: true,
    suppressWarning: true,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.startsWith(assetsDir) ? IMMUTABLE : 'public, max-age=3600');
    },
  });

  const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
  const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '/';

  function wantsSpa(request: FastifyRequest): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (isApi(pathOf(request))) return false;
    return (request.headers.accept ?? '').includes('text/html');
  }

  async function sendIndex(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const html = await template();
    const nonce = randomBytes(18).toString('base64');
    if (cspEnabled) {
      reply.header(
        cspReportOnly ? 'content-security-policy-report-only' : 'content-security-policy',
        contentSecurityPolicy(nonce, cspReportUri, thirdParty),
      );
    }
    reply.header('cache-control', 'no-cache');
    if (html === undefined) {
      request.log.warn({ dir }, 'web app not built');
      if (!(request.headers.accept ?? '').includes('text/html')) {
        return reply
          .status(503)
          .type('application/problem+json')
          .send(
            problem(
              'unavailable',
              503,
              `The web app is not built (no ${indexPath}); run "npm run build -w @clockpilot/web"`,
              pathOf(request),
            ),
          );
      }
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT_HTML.replaceAll(CSP_NONCE_PLACEHOLDER, nonce).replace('__DIR__', escapeHtml(dir)));
    }
    return reply
      .status(200)
      .type('text/html; charset=utf-8')
      .send(html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
  }

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = pathOf(request);
    if (isApi(path)) return reply.callNotFound();
    const last = path.slice(path.lastIndexOf('/') + 1);
    if (last.includes('.') && path !== '/index.html') {
      return reply.sendFile(path.slice(1));
    }
    if (wantsSpa(request) || path === '/' || path === '/index.html') return sendIndex(request, reply);
    return reply.callNotFound();
  });

  return { dir, wantsSpa, sendIndex };
}
