import { type TRegisterBody, ZRegisterBody } from '@clockpilot/contracts/identity';
import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { isApiError, toApiError } from '../../app/api';
import { login } from '../../app/auth';
import { showFormError } from '../../app/form';
import { t } from '../../app/i18n';
import { homeFor } from '../../app/nav';
import { bodyResolver } from '../../app/validate';

export const Route = createLazyRoute('/register')({ component: RegisterPage });

/** An empty name is left out; the account then shows the username. */
const registerBody = (v: TRegisterBody) => ({ ...v, displayName: v.displayName?.trim() || undefined });

/** Self-registration (when the server allows it): a customer account, signed in at once. */
export function RegisterPage() {
  const navigate = useNavigate();
  const [closed, setClosed] = useState(false);
  const form = useForm<TRegisterBody>({
    initialValues: { username: '', email: '', displayName: '', password: '' },
    validate: bodyResolver(ZRegisterBody, registerBody),
  });
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="lg" radius="md" w="100%" maw={420}>
        <Stack gap="md">
          <Title order={1} size="h2">
            {t('login.createAccount')}
          </Title>
          <form
            noValidate
            onSubmit={form.onSubmit(async (v) => {
              const body = registerBody(v);
              try {
                const res = await fetch('/api/v1/auth/register', {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', accept: 'application/json' },
                  body: JSON.stringify(body),
                });
                if (!res.ok) throw await toApiError(res);
                const me = await login({ login: v.username, password: v.password });
                await navigate({ to: homeFor(me.role) });
              } catch (e) {
                if (isApiError(e) && (e.status === 403 || e.status === 404)) setClosed(true);
                else showFormError(form, e, { fallbackField: 'username', title: t('register.failed') });
              }
            })}
          >
            <Stack gap="sm">
              <TextInput
                label={t('profile.username')}
                autoComplete="username"
                required
                {...form.getInputProps('username')}
              />
              <TextInput
                label={t('profile.email')}
                type="email"
                autoComplete="email"
                required
                {...form.getInputProps('email')}
              />
              <TextInput
                label={t('register.name')}
                autoComplete="name"
                {...form.getInputProps('displayName')}
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="new-password"
                required
                description={t('register.passwordHint')}
                {...form.getInputProps('password')}
              />
              {closed && (
                <Text c="red" role="alert">
                  {t('register.closed')}
                </Text>
              )}
              <Button type="submit" loading={form.submitting} fullWidth size="md">
                {t('register.submit')}
              </Button>
            </Stack>
          </form>
          <Text size="sm">
            {t('register.haveAccount')}{' '}
            <Anchor component={Link} to="/login">
              {t('login.signIn')}
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
