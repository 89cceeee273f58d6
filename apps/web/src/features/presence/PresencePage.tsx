import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/presence')({ component: PresencePage });

export function PresencePage() {
  return <PageTitle>Who is in</PageTitle>;
}
