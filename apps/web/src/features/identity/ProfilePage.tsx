import { can } from '@clockpilot/contracts/permissions';
import { Group, Stack, Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { AppearanceSwitch } from '../../app/appearance';
import { PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { PasswordSection } from './PasswordSection';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';
import { TotpSection } from './TotpSection';

export const Route = createLazyRoute('/_app/_identity/profile')({ component: ProfilePage });

export function ProfilePage() {
  const me = useMe();
  return (
    <>
      <PageTitle>Profile and security</PageTitle>
      <Stack gap="md">
        <Section id="profile-account" title="Account">
          <Group gap="xl" wrap="wrap">
            <Field label="Name" value={me.displayName} />
            <Field label="Username" value={me.username} />
            <Field label="Email" value={me.email} />
            <Field label="Role" value={me.role} />
            <Field label="Time zone" value={me.timeZone} />
          </Group>
        </Section>
        <Section id="profile-appearance" title="Appearance">
          <AppearanceSwitch />
        </Section>
        {me.hasPassword && (
          <Section id="profile-password" title="Password">
            <PasswordSection />
          </Section>
        )}
        <Section id="profile-totp" title="Two-step verification">
          <TotpSection />
        </Section>
        <Section id="profile-sessions" title="Where you are signed in">
          <SessionsSection />
        </Section>
        {can(me.role, 'tokens:manage') && (
          <Section id="profile-tokens" title="Personal API tokens">
            <TokensSection />
          </Section>
        )}
      </Stack>
    </>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {value}
      </Text>
    </div>
  );
}
