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
import { wholeList } from '../../app/list';
import { OneTimeSecret } from '../../app/secret';
import { FormActions } from '../../app/ui';
import { bodyResolver } from '../../app/validate';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from './api';

type Values = { name: string; scopes: TApiTokenScope[]; days: string };

const EXPIRY = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: 'One year' },
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
        notifications.show({ color: 'green', message: `Token “${revoking.name}” revoked` });
        setRevoking(null);
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Not revoked', message: errorMessage(e) }),
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
          Scripts and integrations send a token as <code>Authorization: Bearer …</code>. A token acts as you,
          with your role; “read” allows looking only.
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          New token
        </Button>
      </Group>
      <DataTable<TApiToken>
        caption="Your API tokens"
        list={wholeList(tokens)}
        rowKey={(t) => t.id}
        minWidth={600}
        empty={{ title: 'No API tokens', hint: 'Create one when a script needs to reach ClockPilot.' }}
        columns={[
          {
            key: 'name',
            header: 'Name',
            render: (t) => (
              <Text size="sm" fw={500}>
                {t.name}
              </Text>
            ),
          },
          {
            key: 'prefix',
            header: 'Starts with',
            render: (t) => (
              <Text size="sm" ff="monospace">
                {t.prefix}…
              </Text>
            ),
          },
          {
            key: 'scopes',
            header: 'Access',
            render: (t) => (
              <Group gap={4}>
                {t.scopes.map((s) => (
                  <Badge key={s} size="xs" variant="light" color={s === 'write' ? 'orange' : 'blue'}>
                    {s}
                  </Badge>
                ))}
              </Group>
            ),
          },
          { key: 'expires', header: 'Expires', render: (t) => day(t.expiresAt) },
          { key: 'used', header: 'Last used', render: (t) => (t.lastUsedAt ? day(t.lastUsedAt) : 'Never') },
          rowActionColumn<TApiToken>({
            label: 'Revoke',
            color: 'red',
            describe: (t) => `Revoke token ${t.name}`,
            onClick: setRevoking,
          }),
        ]}
      />
      <Modal
        opened={creating}
        onClose={closeModal}
        title={secret ? 'Your new token' : 'New API token'}
        centered
        size="lg"
      >
        {secret ? (
          <Stack gap="sm">
            <OneTimeSecret label={`Token “${secret.name}”`} value={secret.token} />
            <Group justify="flex-end">
              <Button onClick={closeModal}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={form.onSubmit(submit)} noValidate>
            <Stack gap="sm">
              <TextInput
                label="Name"
                description="What the token is for, e.g. “payroll export”"
                required
                data-autofocus
                {...form.getInputProps('name')}
              />
              <Checkbox.Group label="Access" required {...form.getInputProps('scopes')}>
                <Group mt={4}>
                  <Checkbox value="read" label="Read" />
                  <Checkbox value="write" label="Write (make changes)" />
                </Group>
              </Checkbox.Group>
              <Select
                label="Expires after"
                data={EXPIRY}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps('days')}
              />
              <FormActions submitLabel="Create token" pending={create.isPending} onCancel={closeModal} />
            </Stack>
          </form>
        )}
      </Modal>
      <ConfirmDialog
        opened={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke"
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
        onClose={() => setRevoking(null)}
      >
        {`Anything still using “${revoking?.name ?? ''}” will stop working at once.`}
      </ConfirmDialog>
    </Stack>
  );
}
