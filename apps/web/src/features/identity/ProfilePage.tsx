import { can } from '@clockpilot/contracts/permissions';
import { Group, Stack, Text } from '@mantine/core';
import { createLazyRoute } from '@tanstack/react-router';
import { AppearanceSwitch } from '../../app/appearance';
import { t } from '../../app/i18n';
import { PreferencesForm } from '../../app/preferences-form';
import { PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { PasswordSection } from './PasswordSection';
import { roleLabel } from './roles';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';
import { TotpSection } from './TotpSection';

export const Route = createLazyRoute('/_app/_identity/profile')({ component: ProfilePage });

export function ProfilePage() {
  const me = useMe();
  return (
    <>
      <PageTitle>{t('shell.profile')}</PageTitle>
      <Stack gap="md">
        <Section id="profile-account" title={t('profile.account')}>
          <Group gap="xl" wrap="wrap">
            <Field label={t('profile.name')} value={me.displayName} />
            <Field label={t('profile.username')} value={me.username} />
            <Field label={t('profile.email')} value={me.email} />
            <Field label={t('profile.role')} value={roleLabel(me.role)} />
            <Field label={t('profile.timeZone')} value={me.timeZone} />
          </Group>
        </Section>
        <Section id="profile-formats" title={t('prefs.title')}>
          <PreferencesForm />
        </Section>
        <Section id="profile-appearance" title={t('prefs.appearance')}>
          <AppearanceSwitch />
        </Section>
        {me.hasPassword && (
          <Section id="profile-password" title={t('login.password')}>
            <PasswordSection />
          </Section>
        )}
        <Section id="profile-totp" title={t('login.totpTitle')}>
          <TotpSection />
        </Section>
        <Section id="profile-sessions" title={t('profile.sessions')}>
          <SessionsSection />
        </Section>
        {can(me.role, 'tokens:manage') && (
          <Section id="profile-tokens" title={t('profile.tokens')}>
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
