import type { TAppInfo } from '@clockpilot/contracts/platform';
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { notFound } from '@tanstack/react-router';
import { toApiError } from './api';

/** The server's version and switched-on modules (`MODULES`); they change only with a restart. */
export const appInfoQuery = queryOptions({
  queryKey: ['app-info'],
  queryFn: async ({ signal }) => {
    const res = await fetch('/api/v1/app', { signal, headers: { accept: 'application/json' } });
    if (!res.ok) throw await toApiError(res);
    return (await res.json()) as TAppInfo;
  },
  staleTime: Number.POSITIVE_INFINITY,
});

/** A route `beforeLoad`: the pages of a switched-off module are not found, as if they did not exist. */
export function requireModule(module: string) {
  return async ({ context }: { context: { queryClient: QueryClient } }) => {
    const info = await context.queryClient.ensureQueryData(appInfoQuery);
    if (!info.modules.includes(module)) throw notFound();
  };
}
