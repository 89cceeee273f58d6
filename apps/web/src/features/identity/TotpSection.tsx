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
        <Alert color="green" icon={<IconShieldCheck aria-hidden />} title="Two-step verification is on">
          From now on, signing in asks for a code from your authenticator app.
        </Alert>
        <Text size="sm">
          If you lose your phone, each of these recovery codes lets you sign in once instead of a code.
        </Text>
        <OneTimeSecret label="Recovery codes" value={codes} downloadName="clockpilot-recovery-codes.txt" />
        <Group>
          <Button variant="default" onClick={() => setCodes(null)}>
            I have saved them
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
        <Alert color="orange" title="Required for your role">
          Set up two-step verification to keep using ClockPilot.
        </Alert>
      )}
      <Group gap="xs">
        <Text size="sm">Status:</Text>
        <Badge color="gray" variant="light">
          Off
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        With two-step verification, signing in also needs a six-digit code from an authenticator app on your
        phone.
      </Text>
      <Button
        onClick={() =>
          setup.mutate(undefined, {
            onError: (e) =>
              notifications.show({ color: 'red', title: 'Could not start', message: errorMessage(e) }),
          })
        }
        loading={setup.isPending}
      >
        Set up two-step verification
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
      notifications.show({ color: 'green', message: 'Two-step verification is on' });
      onDone(result.recoveryCodes);
    } catch (e) {
      showFormError(form, e, { fallbackField: 'code' });
    }
  }
  return (
    <Stack gap="sm" maw={520}>
      <List type="ordered" size="sm" spacing={4}>
        <List.Item>Open an authenticator app (such as Aegis, FreeOTP or Google Authenticator).</List.Item>
        <List.Item>Scan this QR code, or type in the key below it.</List.Item>
        <List.Item>Enter the six-digit code the app shows.</List.Item>
      </List>
      <Image
        src={qr}
        alt="QR code to add ClockPilot to your authenticator app"
        w={200}
        h={200}
        fit="contain"
        radius="sm"
        style={{ imageRendering: 'pixelated', border: '1px solid var(--mantine-color-gray-3)' }}
      />
      <Text size="sm">
        Key for typing in by hand:{' '}
        <Code style={{ wordBreak: 'break-all', userSelect: 'all' }} data-testid="totp-secret">
          {secret}
        </Code>
      </Text>
      <form onSubmit={form.onSubmit(submit)} noValidate aria-label="Confirm two-step verification">
        <Stack gap="sm" align="flex-start">
          <TextInput
            label="Code from the app"
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
              Turn on
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
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
      notifications.show({ color: 'green', message: 'Two-step verification is off' });
    } catch (e) {
      showFormError(form, e, { fallbackField: 'password' });
    }
  }
  return (
    <Stack gap="sm" maw={420}>
      <Group gap="xs">
        <Text size="sm">Status:</Text>
        <Badge color="green" variant="light">
          On
        </Badge>
      </Group>
      <form onSubmit={form.onSubmit(submit)} noValidate aria-label="Turn off two-step verification">
        <Stack gap="sm" align="flex-start">
          <PasswordInput
            label="Your password, to turn it off"
            autoComplete="current-password"
            required
            w="100%"
            {...form.getInputProps('password')}
          />
          <Button type="submit" color="red" variant="light" loading={disable.isPending}>
            Turn off two-step verification
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
