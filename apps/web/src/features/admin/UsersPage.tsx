import { Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../../app/ui';

export const Route = createLazyRoute('/_app/admin/users')({ component: UsersPage });

export function UsersPage() {
  return (
    <>
      <PageTitle>Users</PageTitle>
      <Text c="dimmed">Accounts, roles and access.</Text>
    </>
  );
}
