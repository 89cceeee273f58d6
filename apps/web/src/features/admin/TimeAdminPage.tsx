import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/admin/time')({ component: TimeAdminPage });

export function TimeAdminPage() {
  return <PageTitle>Time rules and locks</PageTitle>;
}
