import type { TCluster } from '@clockpilot/contracts/autoscaler';
import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { errorMessage, isApiError } from '../../app/api';
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
        onSuccess: () => notifications.show({ color: 'green', message: 'Load pattern applied' }),
        onError: (e) => {
          const fields = isApiError(e) ? toFormErrors(e.fieldErrors) : {};
          if (fields['load.baseRps']) form.setFieldError('load.baseRps', fields['load.baseRps']);
          else notifications.show({ color: 'red', title: 'Load not changed', message: errorMessage(e) });
        },
      },
    ),
  );
  return (
    <Paper withBorder p="sm" radius="md" component="form" onSubmit={submit} noValidate aria-label="Load">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Load
        </Text>
        <LoadFields form={form} />
        <Group justify="flex-end">
          <Button type="submit" size="xs" loading={save.isPending}>
            Apply load
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

type FaultValues = { latencyMs: number; errorPercent: number; outageSeconds: number };

function FaultControl({ clusterId, pollMs }: { clusterId: string; pollMs: number | false }) {
  const state = useSimulatorState(clusterId, pollMs);
  const faults = useFaults(clusterId);
  const form = useForm<FaultValues>({
    initialValues: { latencyMs: 0, errorPercent: 0, outageSeconds: 0 },
    validate: {
      latencyMs: (v) => (v >= 0 && v <= 600_000 ? null : 'Between 0 and 600,000 ms'),
      errorPercent: (v) => (v >= 0 && v <= 100 ? null : 'Between 0 and 100 %'),
      outageSeconds: (v) => (v >= 0 ? null : 'Not negative'),
    },
  });
  const onError = (e: unknown) =>
    notifications.show({ color: 'red', title: 'Faults not changed', message: errorMessage(e) });
  const submit = form.onSubmit((v) =>
    faults.mutate(
      { latencyMs: v.latencyMs, errorRate: v.errorPercent / 100, outageSeconds: v.outageSeconds },
      { onError },
    ),
  );
  const now = state.data?.faults;
  return (
    <Paper withBorder p="sm" radius="md" component="form" onSubmit={submit} noValidate aria-label="Faults">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Faults
        </Text>
        <Text size="xs" c="dimmed" role="status">
          {state.isError
            ? `Simulator: ${errorMessage(state.error)}`
            : now
              ? `Now: +${now.latencyMs} ms latency, ${Math.round(now.errorRate * 100)} % errors, ${Math.ceil(now.outageSeconds)} s outage left`
              : 'Reading the simulator…'}
        </Text>
        <SimpleGrid cols={3}>
          <NumberInput label="Added latency (ms)" min={0} {...form.getInputProps('latencyMs')} />
          <NumberInput label="Errors (%)" min={0} max={100} {...form.getInputProps('errorPercent')} />
          <NumberInput label="Outage (s)" min={0} {...form.getInputProps('outageSeconds')} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={() => faults.mutate(null, { onError })}>
            Clear faults
          </Button>
          <Button type="submit" size="xs" color="orange" loading={faults.isPending}>
            Inject faults
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
