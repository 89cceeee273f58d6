import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { IconLock, IconMapOff } from '@tabler/icons-react';
import { type ErrorComponentProps, Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { ForbiddenError } from './guards';
import { t } from './i18n';
import { ErrorState } from './ui';

function Message({
  icon,
  title,
  children,
}: {
  icon: React.ReactNode;
  title: string;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ClockPilot`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <Center py={64} px="md">
      <Stack align="center" gap="sm" maw={460} ta="center">
        {icon}
        <Title order={1} size="h2" ref={ref} tabIndex={-1} style={{ outline: 'none' }}>
          {title}
        </Title>
        <Text c="dimmed">{children}</Text>
        <Button component={Link} to="/" variant="light">
          {t('page.toStart')}
        </Button>
      </Stack>
    </Center>
  );
}

export function ForbiddenPage() {
  return (
    <Message icon={<IconLock size={48} aria-hidden />} title={t('page.forbidden')}>
      {t('page.forbiddenText')}
    </Message>
  );
}

export function NotFoundPage() {
  return (
    <Message icon={<IconMapOff size={48} aria-hidden />} title={t('page.notFound')}>
      {t('page.notFoundText')}
    </Message>
  );
}

/** A route failed to load: the forbidden page for a permission refusal, else the error with a retry. */
export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  if (error instanceof ForbiddenError) return <ForbiddenPage />;
  if (error instanceof Error && error.name === 'ApiError' && (error as { status?: number }).status === 403)
    return <ForbiddenPage />;
  return (
    <Center py="xl" px="md">
      <Stack maw={560} w="100%">
        <ErrorState error={error} onRetry={reset} />
      </Stack>
    </Center>
  );
}
