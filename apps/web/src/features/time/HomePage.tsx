import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/')({ component: HomePage });

export function HomePage() {
  return (
    <>
      <PageTitle>Home</PageTitle>
      <Text c="dimmed">Your status.</Text>
    </>
  );
}
