import {
  type TApiToken,
  type TApiTokenScope,
  ZCreateApiTokenBody,
} from '@clockpilot/contracts/identity-tokens';
import { Badge, Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { DataTable, rowActionColumn } from '../../app/data-table';
import { showFormError } from '../../app/form';
import { instantDate } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { wholeList } from '../../app/list';
import { OneTimeSecret } from '../../app/secret';
import { FormActions } from '../../app/ui';
import { bodyResolver } from '../../app/validate';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from './api';

type Values = { name: string; scopes: TApiTokenScope[]; days: string };

const EXPIRY: Array<{ value: string; label: MessageKey }> = [
  { value: '7', label: 'tokens.days7' },
  { value: '30', label: 'tokens.days30' },
  { value: '90', label: 'tokens.days90' },
  { value: '180', label: 'tokens.days180' },
  { value: '365', label: 'tokens.year' },
];

function body(v: Values, now = Date.now()) {
  return {
    name: v.name.trim(),
    scopes: v.scopes,
    expiresAt: new Date(now + Number(v.days) * 86_400_000).toISOString(),
  };
}

const day = (iso: string) => instantDate(iso);

/** Personal API tokens for scripts: create (secret shown once), list, revoke. */
export function TokensSection() {
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<TApiToken | null>(null);
  const form = useForm<Values>({
    initialValues: { name: '', scopes: ['read'], days: '90' },
    validate: bodyResolver(ZCreateApiTokenBody, (v: Values) => body(v)),
  });

  async function submit(v: Values) {
    try {
      const created = await create.mutateAsync(body(v));
      setSecret({ name: created.name, token: created.token });
      form.reset();
    } catch (e) {
      showFormError(form, e, { fallbackField: 'name' });
    }
  }

  function confirmRevoke() {
    if (!revoking) return;
    revoke.mutate(revoking.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('tokens.revoked', { name: revoking.name }) });
        setRevoking(null);
      },
      onError: (e) =>
        notifications.show({ color: 'red', title: t('tokens.notRevoked'), message: errorMessage(e) }),
    });
  }

  function closeModal() {
    setCreating(false);
    setSecret(null);
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={560}>
          {t('tokens.introBefore')} <code>Authorization: Bearer …</code>. {t('tokens.introAfter')}
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          {t('tokens.new')}
        </Button>
      </Group>
      <DataTable<TApiToken>
        caption={t('tokens.caption')}
        list={wholeList(tokens)}
        rowKey={(tok) => tok.id}
        minWidth={600}
        empty={{ title: t('tokens.none'), hint: t('tokens.noneHint') }}
        columns={[
          {
            key: 'name',
            header: t('profile.name'),
            render: (tok) => (
              <Text size="sm" fw={500}>
                {tok.name}
              </Text>
            ),
          },
          {
            key: 'prefix',
            header: t('tokens.prefix'),
            render: (tok) => (
              <Text size="sm" ff="monospace">
                {tok.prefix}…
              </Text>
            ),
          },
          {
            key: 'scopes',
            header: t('tokens.access'),
            render: (tok) => (
              <Group gap={4}>
                {tok.scopes.map((s) => (
                  <Badge key={s} size="xs" variant="light" color={s === 'write' ? 'orange' : 'blue'}>
                    {s}
                  </Badge>
                ))}
              </Group>
            ),
          },
          { key: 'expires', header: t('tokens.expires'), render: (tok) => day(tok.expiresAt) },
          {
            key: 'used',
            header: t('tokens.lastUsed'),
            render: (tok) => (tok.lastUsedAt ? day(tok.lastUsedAt) : t('tokens.never')),
          },
          rowActionColumn<TApiToken>({
            label: t('tokens.revoke'),
            color: 'red',
            describe: (tok) => t('tokens.revokeOne', { name: tok.name }),
            onClick: setRevoking,
          }),
        ]}
      />
      <Modal
        opened={creating}
        onClose={closeModal}
        title={secret ? t('tokens.yours') : t('tokens.newTitle')}
        centered
        size="lg"
      >
        {secret ? (
          <Stack gap="sm">
            <OneTimeSecret label={t('tokens.secret', { name: secret.name })} value={secret.token} />
            <Group justify="flex-end">
              <Button onClick={closeModal}>{t('tokens.done')}</Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={form.onSubmit(submit)} noValidate>
            <Stack gap="sm">
              <TextInput
                label={t('profile.name')}
                description={t('tokens.nameHint')}
                required
                data-autofocus
                {...form.getInputProps('name')}
              />
              <Checkbox.Group label={t('tokens.access')} required {...form.getInputProps('scopes')}>
                <Group mt={4}>
                  <Checkbox value="read" label={t('tokens.read')} />
                  <Checkbox value="write" label={t('tokens.write')} />
                </Group>
              </Checkbox.Group>
              <Select
                label={t('tokens.expiresAfter')}
                data={EXPIRY.map((e) => ({ value: e.value, label: t(e.label) }))}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps('days')}
              />
              <FormActions
                submitLabel={t('tokens.create')}
                pending={create.isPending}
                onCancel={closeModal}
              />
            </Stack>
          </form>
        )}
      </Modal>
      <ConfirmDialog
        opened={revoking !== null}
        title={t('tokens.revokeAsk')}
        confirmLabel={t('tokens.revoke')}
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
        onClose={() => setRevoking(null)}
      >
        {t('tokens.revokeText', { name: revoking?.name ?? '' })}
      </ConfirmDialog>
    </Stack>
  );
}
