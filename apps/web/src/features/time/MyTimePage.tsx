import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/time')({ component: MyTimePage });

export function MyTimePage() {
  return (
    <>
      <PageTitle>My time</PageTitle>
      <Text c="dimmed">Your entries.</Text>
    </>
  );
}
