import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/global.css';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followAccountPreferences } from './app/account-preferences';
import { auth } from './app/auth';
import { followPreferredLanguage } from './app/i18n';
import { createQueryClient, Providers } from './app/providers';
import { createAppRouter } from './app/router';

// Ask for a session at once, and fetch the code of the start page (where people clock in) alongside.
void auth.ready();
followAccountPreferences();
if (window.location.pathname === '/') void import('./features/time/HomePage');

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);

// English is in the bundle; another language's words arrive before the first paint, and a failed
// download leaves the app in English rather than blank. A promise, not a top-level await: with one,
// the bundler may not let lazy chunks import from the entry and splits it into dozens of files.
void followPreferredLanguage()
  .catch(() => undefined)
  .then(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <Providers queryClient={queryClient}>
          <RouterProvider router={router} />
        </Providers>
      </StrictMode>,
    ),
  );
