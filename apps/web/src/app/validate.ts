import type { z } from 'zod';

/**
 * A Mantine `validate` function that checks the request body a form would send with the contract
 * schema the server uses. `toBody` turns the form's values into that body (empty text to null, …);
 * errors land on the field with the same dotted path.
 */
export function bodyResolver<V>(schema: z.ZodType, toBody: (values: V) => unknown) {
  return (values: V): Record<string, string> => {
    const result = schema.safeParse(toBody(values));
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || 'root';
      // The contracts set plain messages for every issue (messages.ts).
      errors[key] ??= issue.message;
    }
    return errors;
  };
}

/** Trimmed text, or null when empty: how optional text fields are sent. */
export const textOrNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());
