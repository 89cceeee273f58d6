import { type TRegisterBody, ZRegisterBody } from '@clockpilot/contracts/identity';
import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { isApiError, toApiError } from '../../app/api';
import { login } from '../../app/auth';
import { showFormError } from '../../app/form';
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
            Create an account
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
                else showFormError(form, e, { fallbackField: 'username', title: 'Not registered' });
              }
            })}
          >
            <Stack gap="sm">
              <TextInput
                label="Username"
                autoComplete="username"
                required
                {...form.getInputProps('username')}
              />
              <TextInput
                label="Email"
                type="email"
                autoComplete="email"
                required
                {...form.getInputProps('email')}
              />
              <TextInput label="Full name" autoComplete="name" {...form.getInputProps('displayName')} />
              <PasswordInput
                label="Password"
                autoComplete="new-password"
                required
                description="At least 12 characters, not a common password"
                {...form.getInputProps('password')}
              />
              {closed && (
                <Text c="red" role="alert">
                  Sign-up is closed on this server; ask an administrator for an account.
                </Text>
              )}
              <Button type="submit" loading={form.submitting} fullWidth size="md">
                Create account
              </Button>
            </Stack>
          </form>
          <Text size="sm">
            Already have an account?{' '}
            <Anchor component={Link} to="/login">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
