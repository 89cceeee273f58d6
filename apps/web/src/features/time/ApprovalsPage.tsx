import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/approvals')({ component: ApprovalsPage });

export function ApprovalsPage() {
  return (
    <>
      <PageTitle>Approvals</PageTitle>
      <Text c="dimmed">Weeks waiting for you.</Text>
    </>
  );
}
