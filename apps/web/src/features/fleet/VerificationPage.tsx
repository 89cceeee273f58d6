import type { TVerificationState } from '@clockpilot/contracts/fleet-payments';
import { Alert, Anchor, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createLazyRoute, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { api } from '../../app/auth';
import { ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { fleetKeys, startVerification, useFleetMutation, verificationQuery } from './api';

export const Route = createLazyRoute('/_app/_fleet/fleet/verification')({ component: VerificationPage });
export const LocalRoute = createLazyRoute('/_app/_fleet/fleet/verification/local/$inquiryId')({
  component: LocalVerificationPage,
});

const EXPLAIN: Record<TVerificationState, string> = {
  none: 'Not verified yet. Pick-up needs a government ID and a driving licence.',
  pending: 'Your documents are being checked.',
  approved: 'Your identity and driving licence are verified.',
  declined: 'The check did not pass. You can try again.',
  expired: 'Your verification or licence has expired. Please verify again.',
  review: 'A person is reviewing your documents.',
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
      <PageTitle>Identity and licence</PageTitle>
      <Card withBorder maw={560}>
        <Stack gap="sm">
          <Text fw={600} data-testid="verification-state">
            {s.state === 'approved' ? 'Verified' : s.state === 'none' ? 'Not verified' : s.state}
          </Text>
          <Text size="sm">{EXPLAIN[s.state]}</Text>
          {s.licenceExpiresOn && <Text size="sm">Driving licence valid until {s.licenceExpiresOn}.</Text>}
          {start.data && (
            <Alert color="blue">
              <Anchor href={start.data.url}>Continue the verification</Anchor>
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
              Verify my identity
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
      <PageTitle>Test verification</PageTitle>
      <Card withBorder maw={560}>
        <Stack gap="sm">
          <Text size="sm">
            The local verification provider stands in for Persona. Decide the inquiry as Persona would; the
            decision reaches the app as a signed webhook.
          </Text>
          <TextInput
            label="Licence valid until"
            type="date"
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
          />
          {decide.isError && <Text c="red">{errorMessage(decide.error)}</Text>}
          <Group>
            <Button onClick={() => go('approve')} loading={decide.isPending}>
              Approve
            </Button>
            <Button variant="default" onClick={() => go('review')}>
              Mark for review
            </Button>
            <Button variant="default" color="red" onClick={() => go('decline')}>
              Decline
            </Button>
          </Group>
        </Stack>
      </Card>
    </>
  );
}
