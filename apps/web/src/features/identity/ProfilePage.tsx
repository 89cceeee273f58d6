import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/profile')({ component: ProfilePage });

export function ProfilePage() {
  return (
    <>
      <PageTitle>Profile and security</PageTitle>
      <Text c="dimmed">Your details, password, second factor and sessions.</Text>
    </>
  );
}
