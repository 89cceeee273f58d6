import { AppError } from '../../../platform/errors';

/** The API version our requests and the webhook payloads we read follow. */
export const PERSONA_VERSION = '2023-01-05';

export type PersonaOptions = { apiKey: string; templateId: string; apiUrl: string; timeoutMs?: number };

/** Persona's REST API, the two calls a verification needs: create an inquiry, get a link to its hosted flow. */
export function personaClient(o: PersonaOptions) {
  async function call(
    path: string,
    body: unknown,
  ): Promise<{ data?: { id?: string }; meta?: Record<string, string> }> {
    let res: Response;
    try {
      res = await fetch(`${o.apiUrl.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${o.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'persona-version': PERSONA_VERSION,
          'key-inflection': 'kebab',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
      });
    } catch {
      throw new AppError(
        'unavailable',
        'The verification service cannot be reached right now; try again shortly',
      );
    }
    if (!res.ok) {
      throw new AppError(
        'unavailable',
        `The verification service refused the request (${res.status}); try again shortly`,
      );
    }
    return (await res.json()) as { data?: { id?: string }; meta?: Record<string, string> };
  }

  return {
    /** A new inquiry for the user (reference id = user id) and the one-time link that opens its hosted flow. */
    async createInquiry(userId: string): Promise<{ inquiryId: string; url: string }> {
      const created = await call('/inquiries', {
        data: { attributes: { 'inquiry-template-id': o.templateId, 'reference-id': userId } },
      });
      const inquiryId = created.data?.id;
      if (!inquiryId)
        throw new AppError('unavailable', 'The verification service answered without an inquiry');
      const link = await call(`/inquiries/${encodeURIComponent(inquiryId)}/generate-one-time-link`, {});
      const url = link.meta?.['one-time-link'];
      if (!url) throw new AppError('unavailable', 'The verification service answered without a link');
      return { inquiryId, url };
    },
  };
}
export type PersonaClient = ReturnType<typeof personaClient>;
