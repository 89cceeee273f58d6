import { ZTotpCode, ZTotpConfirmBody, ZTotpDisableBody } from '@clockpilot/contracts/identity';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Image,
  List,
  PasswordInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { showFormError } from '../../app/form';
import { t } from '../../app/i18n';
import { OneTimeSecret } from '../../app/secret';
import { useMe } from '../../app/useAuth';
import { bodyResolver } from '../../app/validate';
import { useTotpConfirm, useTotpDisable, useTotpSetup } from './api';

/** Second factor: enrol with a QR code, confirm a code, keep the recovery codes; or turn it off. */
export function TotpSection() {
  const me = useMe();
  const setup = useTotpSetup();
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) {
    return (
      <Stack gap="sm" maw={520}>
        <Alert color="green" icon={<IconShieldCheck aria-hidden />} title={t('totp.isOn')}>
          {t('totp.isOnText')}
        </Alert>
        <Text size="sm">{t('totp.recoveryText')}</Text>
        <OneTimeSecret
          label={t('totp.recoveryCodes')}
          value={codes}
          downloadName="clockpilot-recovery-codes.txt"
        />
        <Group>
          <Button variant="default" onClick={() => setCodes(null)}>
            {t('totp.saved')}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (me.totpEnabled) return <DisableTotp />;

  if (setup.data) {
    return (
      <ConfirmTotp
        qr={setup.data.qrCodeDataUrl}
        secret={setup.data.secret}
        onDone={setCodes}
        onCancel={setup.reset}
      />
    );
  }

  return (
    <Stack gap="sm" maw={520} align="flex-start">
      {me.totpEnrollmentRequired && (
        <Alert color="orange" title={t('totp.required')}>
          {t('totp.requiredText')}
        </Alert>
      )}
      <Group gap="xs">
        <Text size="sm">{t('totp.status')}</Text>
        <Badge color="gray" variant="light">
          {t('totp.off')}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {t('totp.intro')}
      </Text>
      <Button
        onClick={() =>
          setup.mutate(undefined, {
            onError: (e) =>
              notifications.show({ color: 'red', title: t('totp.couldNotStart'), message: errorMessage(e) }),
          })
        }
        loading={setup.isPending}
      >
        {t('totp.setUp')}
      </Button>
    </Stack>
  );
}

function ConfirmTotp({
  qr,
  secret,
  onDone,
  onCancel,
}: {
  qr: string;
  secret: string;
  onDone: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const confirm = useTotpConfirm();
  const form = useForm<{ code: string }>({
    initialValues: { code: '' },
    validate: bodyResolver(ZTotpConfirmBody, (v: { code: string }) => ({ code: v.code.trim() })),
  });
  async function submit(v: { code: string }) {
    try {
      const result = await confirm.mutateAsync(ZTotpCode.parse(v.code));
      notifications.show({ color: 'green', message: t('totp.isOn') });
      onDone(result.recoveryCodes);
    } catch (e) {
      showFormError(form, e, { fallbackField: 'code' });
    }
  }
  return (
    <Stack gap="sm" maw={520}>
      <List type="ordered" size="sm" spacing={4}>
        <List.Item>{t('totp.step1')}</List.Item>
        <List.Item>{t('totp.step2')}</List.Item>
        <List.Item>{t('totp.step3')}</List.Item>
      </List>
      <Image
        src={qr}
        alt={t('totp.qr')}
        w={200}
        h={200}
        fit="contain"
        radius="sm"
        style={{ imageRendering: 'pixelated', border: '1px solid var(--mantine-color-gray-3)' }}
      />
      <Text size="sm">
        {t('totp.key')}{' '}
        <Code style={{ wordBreak: 'break-all', userSelect: 'all' }} data-testid="totp-secret">
          {secret}
        </Code>
      </Text>
      <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('totp.confirm')}>
        <Stack gap="sm" align="flex-start">
          <TextInput
            label={t('totp.code')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            w={200}
            required
            data-autofocus
            {...form.getInputProps('code')}
          />
          <Group>
            <Button type="submit" loading={confirm.isPending}>
              {t('totp.turnOn')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('ui.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function DisableTotp() {
  const disable = useTotpDisable();
  const form = useForm<{ password: string }>({
    initialValues: { password: '' },
    validate: bodyResolver(ZTotpDisableBody, (v: { password: string }) => v),
  });
  async function submit(v: { password: string }) {
    try {
      await disable.mutateAsync(v.password);
      form.reset();
      notifications.show({ color: 'green', message: t('totp.isOff') });
    } catch (e) {
      showFormError(form, e, { fallbackField: 'password' });
    }
  }
  return (
    <Stack gap="sm" maw={420}>
      <Group gap="xs">
        <Text size="sm">{t('totp.status')}</Text>
        <Badge color="green" variant="light">
          {t('totp.on')}
        </Badge>
      </Group>
      <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('totp.turnOff')}>
        <Stack gap="sm" align="flex-start">
          <PasswordInput
            label={t('totp.password')}
            autoComplete="current-password"
            required
            w="100%"
            {...form.getInputProps('password')}
          />
          <Button type="submit" color="red" variant="light" loading={disable.isPending}>
            {t('totp.turnOff')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
