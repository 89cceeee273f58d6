import type { UseFormReturnType } from '@mantine/form';
import { schemaResolver } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { z } from 'zod';
import { errorMessage, isApiError } from './api';
import { t } from './i18n';

/** Validates a Mantine form with the same contract schema the server checks. */
export function contractResolver(schema: z.ZodType) {
  return schemaResolver(schema, { sync: true });
}

/**
 * Shows an API error on a form: field errors next to their fields (matched by path), everything else
 * as a toast. Returns true when at least one field got its message.
 */
export function showFormError<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  error: unknown,
  opts: { fallbackField?: string; title?: string } = {},
): boolean {
  if (isApiError(error)) {
    const fieldErrors = error.fieldErrors;
    const values = form.getValues() as Record<string, unknown>;
    const known = Object.entries(fieldErrors).filter(([k]) => k.split('.')[0]! in values);
    if (known.length > 0) {
      form.setErrors(Object.fromEntries(known));
      return true;
    }
    if (opts.fallbackField && [409, 422, 423].includes(error.status)) {
      form.setFieldError(opts.fallbackField, error.text);
      return true;
    }
  }
  notifications.show({
    color: 'red',
    title: opts.title ?? t('problem.notSaved'),
    message: errorMessage(error),
  });
  return false;
}
