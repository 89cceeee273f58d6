import { type TUser, ZUpdateUserBody } from '@clockpilot/contracts/identity';
import { Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { showFormError } from '../../app/form';
import { t } from '../../app/i18n';
import { TimeZoneSelect } from '../../app/timezones';
import { FormActions } from '../../app/ui';
import { bodyResolver } from '../../app/validate';
import { useUpdateUser } from './admin-api';

type EditValues = { displayName: string; email: string; timeZone: string };

/** Only what changed is sent, so an edit of the name leaves e-mail and zone untouched on the server. */
function editBody(v: EditValues, user: TUser) {
  const body: Partial<EditValues> = {};
  if (v.displayName.trim() !== user.displayName) body.displayName = v.displayName.trim();
  if (v.email.trim() !== user.email) body.email = v.email.trim();
  if (v.timeZone !== user.timeZone) body.timeZone = v.timeZone;
  return body;
}

/** An admin changes a user's name, e-mail and time zone. */
export function EditUserForm({
  user,
  onDone,
  onCancel,
}: {
  user: TUser;
  onDone: (user: TUser) => void;
  onCancel: () => void;
}) {
  const update = useUpdateUser();
  const form = useForm<EditValues>({
    initialValues: { displayName: user.displayName, email: user.email, timeZone: user.timeZone },
    validate: (v) => {
      const body = editBody(v, user);
      // Nothing changed is not an error to show: saving then simply closes.
      return Object.keys(body).length === 0 ? {} : bodyResolver(ZUpdateUserBody, () => body)(v);
    },
  });
  async function submit(v: EditValues) {
    const body = editBody(v, user);
    if (Object.keys(body).length === 0) return onCancel();
    try {
      onDone(await update.mutateAsync({ id: user.id, body }));
    } catch (e) {
      showFormError(form, e, { fallbackField: 'email' });
    }
  }
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        <TextInput label={t('profile.name')} required data-autofocus {...form.getInputProps('displayName')} />
        <TextInput label={t('profile.email')} type="email" required {...form.getInputProps('email')} />
        <TimeZoneSelect {...form.getInputProps('timeZone')} />
        <FormActions submitLabel={t('users.saveChanges')} pending={update.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
