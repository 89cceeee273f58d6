import type { TCluster } from '@clockpilot/contracts/autoscaler';
import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { FormEvent, ReactNode } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { numberText, percentText } from '../../app/format';
import { t } from '../../app/i18n';
import { useFaults, useSaveCluster, useSimulatorState } from './api';
import { type LoadValues, loadBody, loadValues, toFormErrors } from './cluster-form';
import { LoadFields } from './LoadFields';

/** The owner's levers on the simulated world: the load pattern and injected faults. */
export function SimulatorControls({ cluster, pollMs }: { cluster: TCluster; pollMs: number | false }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <LoadControl cluster={cluster} />
      <FaultControl clusterId={cluster.id} pollMs={pollMs} />
    </SimpleGrid>
  );
}

function LoadControl({ cluster }: { cluster: TCluster }) {
  const form = useForm<{ load: LoadValues }>({
    initialValues: { load: loadValues(cluster.simulation.load) },
  });
  const save = useSaveCluster();
  const submit = form.onSubmit((values) =>
    save.mutate(
      { id: cluster.id, body: { simulation: { load: loadBody(values.load) } } },
      {
        onSuccess: () => notifications.show({ color: 'green', message: t('autoscaler.loadApplied') }),
        onError: (e) => {
          const fields = isApiError(e) ? toFormErrors(e.fieldErrors) : {};
          if (fields['load.baseRps']) form.setFieldError('load.baseRps', fields['load.baseRps']);
          else
            notifications.show({
              color: 'red',
              title: t('autoscaler.loadNotChanged'),
              message: errorMessage(e),
            });
        },
      },
    ),
  );
  return (
    <ControlForm title={t('autoscaler.load')} onSubmit={submit}>
      <LoadFields form={form} />
      <Group justify="flex-end">
        <Button type="submit" size="xs" loading={save.isPending}>
          {t('autoscaler.applyLoad')}
        </Button>
      </Group>
    </ControlForm>
  );
}

type FaultValues = { latencyMs: number; errorPercent: number; outageSeconds: number };

function FaultControl({ clusterId, pollMs }: { clusterId: string; pollMs: number | false }) {
  const state = useSimulatorState(clusterId, pollMs);
  const faults = useFaults(clusterId);
  const form = useForm<FaultValues>({
    initialValues: { latencyMs: 0, errorPercent: 0, outageSeconds: 0 },
    validate: {
      latencyMs: (v) =>
        v >= 0 && v <= 600_000 ? null : t('autoscaler.latencyRange', { max: numberText(600_000) }),
      errorPercent: (v) => (v >= 0 && v <= 100 ? null : t('autoscaler.percentRange')),
      outageSeconds: (v) => (v >= 0 ? null : t('autoscaler.notNegative')),
    },
  });
  const onError = (e: unknown) =>
    notifications.show({ color: 'red', title: t('autoscaler.faultsNotChanged'), message: errorMessage(e) });
  const submit = form.onSubmit((v) =>
    faults.mutate(
      { latencyMs: v.latencyMs, errorRate: v.errorPercent / 100, outageSeconds: v.outageSeconds },
      { onError },
    ),
  );
  const now = state.data?.faults;
  return (
    <ControlForm title={t('autoscaler.faults')} onSubmit={submit}>
      <Text size="xs" c="dimmed" role="status">
        {state.isError
          ? t('autoscaler.simulatorError', { error: errorMessage(state.error) })
          : now
            ? t('autoscaler.faultsNow', {
                latency: numberText(now.latencyMs),
                errors: percentText(now.errorRate),
                outage: Math.ceil(now.outageSeconds),
              })
            : t('autoscaler.readingSimulator')}
      </Text>
      <SimpleGrid cols={3}>
        <NumberInput label={t('autoscaler.addedLatency')} min={0} {...form.getInputProps('latencyMs')} />
        <NumberInput
          label={t('autoscaler.errorShare')}
          min={0}
          max={100}
          {...form.getInputProps('errorPercent')}
        />
        <NumberInput label={t('autoscaler.outage')} min={0} {...form.getInputProps('outageSeconds')} />
      </SimpleGrid>
      <Group justify="flex-end">
        <Button variant="default" size="xs" onClick={() => faults.mutate(null, { onError })}>
          {t('autoscaler.clearFaults')}
        </Button>
        <Button type="submit" size="xs" color="orange" loading={faults.isPending}>
          {t('autoscaler.injectFaults')}
        </Button>
      </Group>
    </ControlForm>
  );
}

/** One lever's form: a titled card, named by its title for screen readers. */
function ControlForm({
  title,
  onSubmit,
  children,
}: {
  title: string;
  onSubmit: (e?: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="sm" radius="md" component="form" onSubmit={onSubmit} noValidate aria-label={title}>
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {title}
        </Text>
        {children}
      </Stack>
    </Paper>
  );
}
