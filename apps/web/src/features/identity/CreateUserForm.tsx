import { type TUser, ZCreateUserBody } from '@clockpilot/contracts/identity';
import type { TRole } from '@clockpilot/contracts/permissions';
import { Button, Group, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconWand } from '@tabler/icons-react';
import { showFormError } from '../../app/form';
import { t } from '../../app/i18n';
import { TimeZoneSelect } from '../../app/timezones';
import { FormActions } from '../../app/ui';
import { useAuth } from '../../app/useAuth';
import { bodyResolver, textOrNull } from '../../app/validate';
import { generatePassword, useCreateUser } from './admin-api';
import { roleOptions } from './roles';

type CreateValues = {
  username: string;
  email: string;
  displayName: string;
  role: TRole;
  timeZone: string;
  password: string;
};

const createBody = (v: CreateValues) => ({
  username: v.username.trim(),
  email: v.email.trim(),
  displayName: textOrNull(v.displayName) ?? undefined,
  role: v.role,
  timeZone: v.timeZone,
  password: v.password === '' ? undefined : v.password,
});

export function CreateUserForm({
  onDone,
  onCancel,
}: {
  onDone: (user: TUser, password: string | null) => void;
  onCancel: () => void;
}) {
  const create = useCreateUser();
  // New people usually work where their admin does; UTC helps nobody by default.
  const adminZone = useAuth().user?.timeZone ?? 'UTC';
  const form = useForm<CreateValues>({
    initialValues: {
      username: '',
      email: '',
      displayName: '',
      role: 'employee',
      timeZone: adminZone,
      password: '',
    },
    validate: bodyResolver(ZCreateUserBody, createBody),
  });
  async function submit(v: CreateValues) {
    try {
      const user = await create.mutateAsync(createBody(v));
      onDone(user, v.password === '' ? null : v.password);
    } catch (e) {
      showFormError(form, e, { fallbackField: 'username' });
    }
  }
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput
            label={t('profile.username')}
            required
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('username')}
          />
          <TextInput
            label={t('profile.email')}
            type="email"
            required
            autoComplete="off"
            {...form.getInputProps('email')}
          />
          <TextInput label={t('users.displayName')} {...form.getInputProps('displayName')} />
          <Select
            label={t('profile.role')}
            data={roleOptions()}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('role')}
          />
        </SimpleGrid>
        <TimeZoneSelect {...form.getInputProps('timeZone')} />
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <PasswordInput
            label={t('users.initialPassword')}
            description={t('users.initialPasswordHint')}
            autoComplete="new-password"
            style={{ flex: 1 }}
            {...form.getInputProps('password')}
          />
          <Button
            variant="default"
            leftSection={<IconWand size={16} aria-hidden />}
            onClick={() => form.setFieldValue('password', generatePassword())}
          >
            {t('users.generate')}
          </Button>
        </Group>
        <FormActions submitLabel={t('users.create')} pending={create.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
