import type { TFieldError, TProblem } from '@clockpilot/contracts';
import { t } from './i18n';
import { fieldText, problemText } from './problems';

/** An error answered by the API (RFC 9457 problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: TFieldError[];
  readonly problem: Partial<TProblem> & Record<string, unknown>;

  constructor(status: number, problem: Partial<TProblem> & Record<string, unknown>) {
    const detail = problem.detail ?? problem.title ?? `Request failed (${status})`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network' : 'error');
    this.detail = detail;
    this.errors = problem.errors ?? [];
    this.problem = problem;
  }

  /**
   * What went wrong in the person's language where the problem's reason is known, else the server's
   * `detail`; an answer without one (a proxy's error page) says the request failed.
   */
  get text(): string {
    const detail = this.problem.detail ?? t('problem.requestFailed', { status: this.status });
    return problemText(this.problem, detail);
  }

  /**
   * Field errors keyed by the form field they belong to: `body.startedAt` → `startedAt`,
   * `body.items.0.minutes` → `items.0.minutes`; worded by their code where the catalog knows it.
   */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const key = e.path.replace(/^(body|query|querystring|params)\.?/, '');
      if (key && !(key in out)) out[key] = fieldText(e);
    }
    return out;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** Turns any fetch Response that is not ok into an ApiError. */
export async function toApiError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<TProblem> & Record<string, unknown>;
      if (body && typeof body === 'object') return new ApiError(res.status, body);
    } catch {
      // fall through to the generic error below
    }
  }
  return new ApiError(res.status, { status: res.status, title: res.statusText || 'Request failed' });
}

/** A message fit for a toast: the server's detail, or a plain sentence for network trouble. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('ui.unreachable');
    return e.text;
  }
  if (e instanceof Error) return e.message;
  return t('ui.somethingWrong');
}
