import type { TVerificationState } from '@clockpilot/contracts/fleet-payments';
import { Alert, Anchor, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createLazyRoute, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { api } from '../../app/auth';
import { dateText } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { fleetKeys, startVerification, useFleetMutation, verificationQuery } from './api';

export const Route = createLazyRoute('/_app/_fleet/fleet/verification')({ component: VerificationPage });
export const LocalRoute = createLazyRoute('/_app/_fleet/fleet/verification/local/$inquiryId')({
  component: LocalVerificationPage,
});

/** Each state's name and what it means for the renter. */
const STATE: Record<TVerificationState, { label: MessageKey; explain: MessageKey }> = {
  none: { label: 'fleet.verification.none', explain: 'fleet.verification.noneText' },
  pending: { label: 'fleet.verification.pending', explain: 'fleet.verification.pendingText' },
  approved: { label: 'fleet.verification.approved', explain: 'fleet.verification.approvedText' },
  declined: { label: 'fleet.verification.declined', explain: 'fleet.verification.declinedText' },
  expired: { label: 'fleet.verification.expired', explain: 'fleet.verification.expiredText' },
  review: { label: 'fleet.verification.review', explain: 'fleet.verification.reviewText' },
};

/** The renter's identity and licence check; waits (polls) while the provider decides. */
export function VerificationPage() {
  const status = useQuery({
    ...verificationQuery,
    refetchInterval: (q) =>
      q.state.data?.state === 'pending' || q.state.data?.state === 'review' ? 1000 : false,
  });
  const start = useFleetMutation(startVerification);
  if (status.isPending) return <LoadingState />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  return (
    <>
      <PageTitle>{t('fleet.identityAndLicence')}</PageTitle>
      <Card withBorder maw={560}>
        <Stack gap="sm">
          <Text fw={600} data-testid="verification-state">
            {t(STATE[s.state].label)}
          </Text>
          <Text size="sm">{t(STATE[s.state].explain)}</Text>
          {s.licenceExpiresOn && (
            <Text size="sm">{t('fleet.licenceValidUntil', { date: dateText(s.licenceExpiresOn) })}</Text>
          )}
          {start.data && (
            <Alert color="blue">
              <Anchor href={start.data.url}>{t('fleet.continueVerification')}</Anchor>
            </Alert>
          )}
          {start.isError && <Text c="red">{errorMessage(start.error)}</Text>}
          {s.state !== 'approved' && s.state !== 'pending' && !start.data && (
            <Button
              w="fit-content"
              loading={start.isPending}
              onClick={async () => {
                const started = await start.mutateAsync().catch(() => null);
                // The hosted flow (Persona) or the local page; both are left by a full navigation.
                if (started) window.location.assign(started.url);
              }}
            >
              {t('fleet.verifyMe')}
            </Button>
          )}
        </Stack>
      </Card>
    </>
  );
}

/** The local provider's stand-in for Persona's hosted flow: a developer decides the inquiry. */
export function LocalVerificationPage() {
  const { inquiryId } = useParams({ from: '/_app/_fleet/fleet/verification/local/$inquiryId' });
  const [expires, setExpires] = useState(() => `${new Date().getFullYear() + 5}-12-31`);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const decide = useFleetMutation((d: 'approve' | 'decline' | 'review') =>
    api('POST', `/api/v1/fleet/local-verifications/${inquiryId}/${d}`, {
      body: d === 'approve' ? { licenceExpiresOn: expires } : {},
    }),
  );
  const go = async (d: 'approve' | 'decline' | 'review') => {
    await decide.mutateAsync(d).catch(() => undefined);
    await qc.invalidateQueries({ queryKey: fleetKeys.verification });
    await navigate({ to: '/fleet/verification' });
  };
  return (
    <>
      <PageTitle>{t('fleet.testVerification')}</PageTitle>
      <Card withBorder maw={560}>
        <Stack gap="sm">
          <Text size="sm">{t('fleet.testVerificationText')}</Text>
          <TextInput
            label={t('fleet.licenceUntil')}
            type="date"
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
          />
          {decide.isError && <Text c="red">{errorMessage(decide.error)}</Text>}
          <Group>
            <Button onClick={() => go('approve')} loading={decide.isPending}>
              {t('fleet.approve')}
            </Button>
            <Button variant="default" onClick={() => go('review')}>
              {t('fleet.markForReview')}
            </Button>
            <Button variant="default" color="red" onClick={() => go('decline')}>
              {t('fleet.decline')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </>
  );
}
