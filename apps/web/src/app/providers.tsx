import { createTheme, MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { isApiError } from './api';
import { auth } from './auth';
import { useLanguage } from './i18n';
import { cspNonce } from './nonce';
import { resolveFirstDay, usePreferences } from './preferences';

const theme = createTheme({
  primaryColor: 'blue',
  // Darker shades keep text on filled buttons above 4.5:1 contrast.
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  focusRing: 'auto',
});

export function createQueryClient() {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // 4xx answers do not get better by asking again.
        retry: (count, error) =>
          !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
  // Another person's data must never outlive their session in this tab.
  auth.subscribe(() => {
    if (auth.getState().status === 'signed-out') client.clear();
  });
  return client;
}

const nonce = cspNonce();
// Modals and drawers lock scrolling with a <style> tag (react-remove-scroll); it reads the nonce here.
if (nonce) (globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

export function Providers({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  const language = useLanguage();
  const prefs = usePreferences();
  // Dayjs counts Sunday as 0; the preferences count it as 7, as Intl does.
  const firstDayOfWeek = (resolveFirstDay(prefs) % 7) as 0 | 1 | 6;
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" getStyleNonce={nonce ? () => nonce : undefined}>
      <DatesProvider settings={{ locale: language, firstDayOfWeek }}>
        <QueryClientProvider client={queryClient}>
          {/* Bottom right: toasts never cover the page actions in the title row. */}
          <Notifications position="bottom-right" limit={4} />
          {/* A new language or format redraws every page at once; the router and the cache stay. */}
          <Fragment key={`${language}|${JSON.stringify(prefs)}`}>{children}</Fragment>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
