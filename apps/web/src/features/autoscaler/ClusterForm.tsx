import type { TCluster } from '@clockpilot/contracts/autoscaler';
import { NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { errorMessage, isApiError } from '../../app/api';
import { FormActions } from '../../app/ui';
import { useSaveCluster } from './api';
import { BehaviorFields } from './BehaviorFields';
import { type ClusterFormValues, initialValues, toBody, toFormErrors, validateCluster } from './cluster-form';
import { LoadFields } from './LoadFields';

/** Creates a cluster, or changes every setting of one (`cluster`). */
export function ClusterForm({
  cluster,
  onDone,
  onCancel,
}: {
  cluster?: TCluster;
  onDone: (saved: TCluster) => void;
  onCancel: () => void;
}) {
  const form = useForm<ClusterFormValues>({
    initialValues: initialValues(cluster),
    validate: validateCluster,
  });
  const save = useSaveCluster();
  const v = form.getValues();

  const submit = form.onSubmit(async (values) => {
    try {
      const saved = await save.mutateAsync({ id: cluster?.id, body: toBody(values) });
      notifications.show({ color: 'green', message: cluster ? 'Cluster saved' : 'Cluster created' });
      onDone(saved);
    } catch (e) {
      const fields = isApiError(e) ? toFormErrors(e.fieldErrors) : {};
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      else if (isApiError(e) && e.status === 409) form.setFieldError('name', e.detail);
      else notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(e) });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label="Name"
          description='3 to 50 letters, digits, "-" or "_"'
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <SimpleGrid cols={2}>
          <NumberInput
            label="Minimum servers"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('minServers')}
          />
          <NumberInput
            label="Maximum servers"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('maxServers')}
          />
        </SimpleGrid>
        <SimpleGrid cols={2}>
          <Select
            label="Scale on"
            allowDeselect={false}
            data={[
              { value: 'cpu', label: 'CPU utilisation (%)' },
              { value: 'requestsPerServer', label: 'Requests per second per server' },
            ]}
            {...form.getInputProps('targetType')}
          />
          <NumberInput
            label={v.targetType === 'cpu' ? 'Target CPU (%)' : 'Target requests per second'}
            min={1}
            {...form.getInputProps('targetValue')}
          />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} id="mode-label">
            Mode
          </Text>
          <SegmentedControl
            aria-labelledby="mode-label"
            data={[
              { value: 'hpa', label: 'HPA (reactive)' },
              { value: 'predictive', label: 'Predictive' },
            ]}
            {...form.getInputProps('mode')}
          />
        </div>
        <BehaviorFields form={form} />
        <Text fw={600} size="sm" mt="xs">
          Simulated servers and load
        </Text>
        <SimpleGrid cols={2}>
          <NumberInput label="Capacity per server (req/s)" min={0.1} {...form.getInputProps('capacityRps')} />
          <NumberInput
            label="Boot time (s)"
            min={0}
            max={3600}
            allowDecimal={false}
            {...form.getInputProps('bootSeconds')}
          />
        </SimpleGrid>
        <LoadFields form={form} />
        <FormActions
          submitLabel={cluster ? 'Save changes' : 'Create cluster'}
          pending={save.isPending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}
