import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/reports')({ component: ReportsPage });

export function ReportsPage() {
  return (
    <>
      <PageTitle>Reports</PageTitle>
      <Text c="dimmed">Hours by person, project and week.</Text>
    </>
  );
}
