import type { TCluster } from '@clockpilot/contracts/autoscaler';
import { NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { errorMessage, isApiError } from '../../app/api';
import { t } from '../../app/i18n';
import { FormActions } from '../../app/ui';
import { useSaveCluster } from './api';
import { BehaviorFields } from './BehaviorFields';
import { type ClusterFormValues, initialValues, toBody, toFormErrors, validateCluster } from './cluster-form';
import { LoadFields } from './LoadFields';
import { ServerFields } from './ServerFields';

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
      notifications.show({
        color: 'green',
        message: t(cluster ? 'autoscaler.clusterSaved' : 'autoscaler.clusterCreated'),
      });
      onDone(saved);
    } catch (e) {
      const fields = isApiError(e) ? toFormErrors(e.fieldErrors) : {};
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      else notifications.show({ color: 'red', title: t('autoscaler.notSaved'), message: errorMessage(e) });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('autoscaler.name')}
          description={t('autoscaler.nameRule')}
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <SimpleGrid cols={2}>
          <NumberInput
            label={t('autoscaler.minServers')}
            min={1}
            allowDecimal={false}
            {...form.getInputProps('minServers')}
          />
          <NumberInput
            label={t('autoscaler.maxServers')}
            min={1}
            allowDecimal={false}
            {...form.getInputProps('maxServers')}
          />
        </SimpleGrid>
        <SimpleGrid cols={2}>
          <Select
            label={t('autoscaler.scaleOn')}
            allowDeselect={false}
            data={[
              { value: 'cpu', label: t('autoscaler.scaleOn.cpu') },
              { value: 'requestsPerServer', label: t('autoscaler.scaleOn.requests') },
            ]}
            {...form.getInputProps('targetType')}
          />
          <NumberInput
            label={t(v.targetType === 'cpu' ? 'autoscaler.targetCpuField' : 'autoscaler.targetRpsField')}
            min={1}
            {...form.getInputProps('targetValue')}
          />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} id="mode-label">
            {t('autoscaler.mode')}
          </Text>
          <SegmentedControl
            aria-labelledby="mode-label"
            data={[
              { value: 'hpa', label: t('autoscaler.mode.hpaReactive') },
              { value: 'predictive', label: t('autoscaler.mode.predictive') },
            ]}
            {...form.getInputProps('mode')}
          />
        </div>
        <BehaviorFields form={form} />
        <Text fw={600} size="sm" mt="xs">
          {t('autoscaler.simulated')}
        </Text>
        <SimpleGrid cols={2}>
          <ServerFields form={form} capacity="capacityRps" />
        </SimpleGrid>
        <LoadFields form={form} />
        <FormActions
          submitLabel={t(cluster ? 'autoscaler.saveChanges' : 'autoscaler.createCluster')}
          pending={save.isPending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}
