import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/timesheet')({ component: TimesheetPage });

export function TimesheetPage() {
  return (
    <>
      <PageTitle>Timesheet</PageTitle>
      <Text c="dimmed">Your week.</Text>
    </>
  );
}
