import { ZChangePasswordBody } from '@clockpilot/contracts/identity';
import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../../app/api';
import { showFormError } from '../../app/form';
import { t } from '../../app/i18n';
import { bodyResolver } from '../../app/validate';
import { useChangePassword } from './api';

type Values = { currentPassword: string; newPassword: string; confirm: string };

const body = (v: Values) => ({ currentPassword: v.currentPassword, newPassword: v.newPassword });
const checkBody = bodyResolver(ZChangePasswordBody, body);

/** Change the own password; the server's strength rules come back on the new-password field. */
export function PasswordSection() {
  const change = useChangePassword();
  const form = useForm<Values>({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: (v) => {
      const errors = checkBody(v);
      if (!errors.newPassword && v.confirm !== v.newPassword) errors.confirm = t('password.mismatch');
      return errors;
    },
  });

  async function submit(v: Values) {
    try {
      await change.mutateAsync(body(v));
      form.reset();
      notifications.show({
        color: 'green',
        title: t('password.changed'),
        message: t('password.changedText'),
      });
    } catch (e) {
      // The policy can fail several rules at once; show them all on the field.
      const rules = isApiError(e)
        ? e.errors.filter((x) => x.path === 'body.newPassword').map((x) => x.message)
        : [];
      if (rules.length > 1) form.setFieldError('newPassword', rules.join('. '));
      else showFormError(form, e, { fallbackField: 'newPassword' });
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('password.change')}>
      <Stack gap="sm" maw={420}>
        <Text size="sm" c="dimmed">
          {t('password.intro')}
        </Text>
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          required
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label={t('password.new')}
          autoComplete="new-password"
          required
          description={t('password.newHint')}
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label={t('password.repeat')}
          autoComplete="new-password"
          required
          {...form.getInputProps('confirm')}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t('password.change')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
