import { type TLoginBody, ZLoginBody } from '@clockpilot/contracts/identity';
import type { TFirstStart, TSsoConfig, TSsoError } from '@clockpilot/contracts/identity-sso';
import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle, IconKey } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link, Navigate, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { login } from '../../app/auth';
import { contractResolver } from '../../app/form';
import { type MessageKey, t } from '../../app/i18n';
import { appInfoQuery } from '../../app/modules';
import { homeFor } from '../../app/nav';
import { useAuth } from '../../app/useAuth';

export const Route = createLazyRoute('/login')({ component: LoginPage });

const SSO_ERROR_TEXT: Record<TSsoError, MessageKey> = {
  state_mismatch: 'login.sso.state_mismatch',
  provider_error: 'login.sso.provider_error',
  email_unverified: 'login.sso.email_unverified',
  no_account: 'login.sso.no_account',
  account_inactive: 'login.sso.account_inactive',
  unavailable: 'login.sso.unavailable',
};

/** The hint about the first admin's password, shown only until an admin has signed in. */
function useFirstStart() {
  return useQuery({
    queryKey: ['auth', 'first-start'],
    queryFn: async (): Promise<TFirstStart> => {
      const res = await fetch('/api/v1/auth/first-start', { headers: { accept: 'application/json' } });
      return res.ok ? ((await res.json()) as TFirstStart) : { pending: false };
    },
  });
}

function useSsoConfig() {
  return useQuery({
    queryKey: ['auth', 'oidc', 'config'],
    queryFn: async (): Promise<TSsoConfig> => {
      const res = await fetch('/api/v1/auth/oidc/config', { headers: { accept: 'application/json' } });
      if (!res.ok) return { enabled: false, loginUrl: null };
      return (await res.json()) as TSsoConfig;
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function LoginPage() {
  const { status, user } = useAuth();
  const search = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sso = useSsoConfig();
  const firstStart = useFirstStart();
  const appInfo = useQuery(appInfoQuery);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const form = useForm<TLoginBody>({
    mode: 'uncontrolled',
    initialValues: { login: '', password: '', totp: undefined },
    validate: contractResolver(ZLoginBody),
  });

  useEffect(() => {
    document.title = `${t('login.signIn')} · ClockPilot`;
  }, []);

  if (status === 'signed-in' && user && !busy) {
    return <Navigate to={search.redirect ?? homeFor(user.role, appInfo.data?.modules)} replace />;
  }

  async function submit(values: TLoginBody) {
    setFailure(null);
    setBusy(true);
    try {
      const me = await login({ ...values, totp: step === 'totp' ? values.totp : undefined });
      await navigate({ to: search.redirect ?? homeFor(me.role, appInfo.data?.modules), replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'totp_required') {
        setStep('totp');
        form.setFieldValue('totp', '');
      } else if (isApiError(e) && e.errors.length > 0) {
        form.setErrors(e.fieldErrors);
      } else {
        setFailure(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100dvh" p="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420} component="main">
        <Stack gap="md">
          <div>
            <Text fw={700} c="light-dark(var(--mantine-color-blue-8), var(--mantine-color-blue-4))" size="lg">
              ClockPilot
            </Text>
            <Title order={1} size="h2" ref={headingRef}>
              {step === 'totp' ? t('login.totpTitle') : t('login.signIn')}
            </Title>
          </div>
          {search.sso_error && (
            <Alert color="red" role="alert" title={t('login.sso.failed')}>
              {t(SSO_ERROR_TEXT[search.sso_error as TSsoError] ?? 'login.sso.incomplete')}
            </Alert>
          )}
          {failure && (
            <Alert color="red" role="alert" data-testid="login-error">
              {failure}
            </Alert>
          )}
          <form onSubmit={form.onSubmit(submit)} noValidate>
            <Stack gap="sm">
              {step === 'password' ? (
                <>
                  <TextInput
                    label={t('login.login')}
                    autoComplete="username"
                    autoCapitalize="none"
                    spellCheck={false}
                    required
                    data-autofocus
                    autoFocus
                    key={form.key('login')}
                    {...form.getInputProps('login')}
                  />
                  <PasswordInput
                    label={t('login.password')}
                    autoComplete="current-password"
                    required
                    key={form.key('password')}
                    {...form.getInputProps('password')}
                  />
                </>
              ) : (
                <Stack gap={6}>
                  <Text size="sm" id="totp-help">
                    {t('login.totpHelp')}
                  </Text>
                  <TextInput
                    label={t('login.totpCode')}
                    autoComplete="one-time-code"
                    inputMode="numeric"
                    aria-describedby="totp-help"
                    autoFocus
                    key={form.key('totp')}
                    {...form.getInputProps('totp')}
                  />
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => {
                      setStep('password');
                      form.setFieldValue('totp', undefined);
                    }}
                  >
                    {t('login.back')}
                  </Anchor>
                </Stack>
              )}
              <Button type="submit" loading={busy} fullWidth size="md">
                {step === 'totp' ? t('login.verify') : t('login.signIn')}
              </Button>
            </Stack>
          </form>
          {sso.data?.enabled && sso.data.loginUrl && step === 'password' && (
            <>
              <Divider label={t('login.or')} labelPosition="center" />
              <Button
                component="a"
                href={sso.data.loginUrl}
                variant="default"
                leftSection={<IconKey size={18} aria-hidden />}
                fullWidth
                size="md"
              >
                {t('login.sso')}
              </Button>
            </>
          )}
          {step === 'password' && (
            <Text size="sm">
              {t('login.newHere')}{' '}
              <Anchor component={Link} to="/register">
                {t('login.createAccount')}
              </Anchor>
            </Text>
          )}
          {firstStart.data?.pending && step === 'password' && (
            <Alert
              variant="light"
              color="gray"
              icon={<IconInfoCircle aria-hidden />}
              title={t('login.firstStart')}
            >
              <Text size="sm">{t('login.firstStartText')}</Text>
            </Alert>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
