import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/admin/audit')({ component: AuditPage });

export function AuditPage() {
  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <Text c="dimmed">Who changed what, and when.</Text>
    </>
  );
}
