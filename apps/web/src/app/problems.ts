import type { TFieldError } from '@clockpilot/contracts';
import { hasMessage, t } from './i18n';

/** A problem+json body as the client received it: the contract's fields and the ones its reason names. */
export type ProblemBody = Record<string, unknown>;

/** Words one problem `reason` in the current language from the body; null when a field it needs is missing. */
export type ProblemWords = (body: ProblemBody) => string | null;

const reasons = new Map<string, ProblemWords>();

/** A feature's words for the reasons its server module answers with (see `Feature.problems`). */
export function wordProblems(table: Readonly<Record<string, ProblemWords>>): void {
  for (const [reason, words] of Object.entries(table)) reasons.set(reason, words);
}

/** The problem in the person's language when its reason is known here, else the server's English detail. */
export function problemText(body: ProblemBody, detail: string): string {
  const words = typeof body.reason === 'string' ? reasons.get(body.reason) : undefined;
  return words?.(body) ?? detail;
}

/** A refused field in the person's language (`problem.field.<code>`), else the server's message. */
export function fieldText(error: TFieldError): string {
  const key = `problem.field.${error.code}`;
  return error.code && hasMessage(key) ? t(key) : error.message;
}
