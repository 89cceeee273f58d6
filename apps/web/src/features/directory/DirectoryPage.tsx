import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/directory')({ component: DirectoryPage });

export function DirectoryPage() {
  return (
    <>
      <PageTitle>Directory</PageTitle>
      <Text c="dimmed">People, teams, clients, projects and activities.</Text>
    </>
  );
}
