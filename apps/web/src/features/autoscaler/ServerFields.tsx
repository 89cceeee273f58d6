import { NumberInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { t } from '../../app/i18n';

type ServerValues = { bootSeconds: number | '' };

/**
 * The simulated servers' capacity and boot time, as a cluster and an evaluation both ask for them;
 * the caller's grid places them. `capacity` names the form's capacity field.
 */
export function ServerFields<V extends ServerValues>({
  form,
  capacity,
  capacityHint,
}: {
  form: UseFormReturnType<V>;
  capacity: 'capacityRps' | 'serverRps';
  capacityHint?: string;
}) {
  return (
    <>
      <NumberInput
        label={t('autoscaler.capacity')}
        description={capacityHint}
        min={0.1}
        {...form.getInputProps(capacity)}
      />
      <NumberInput
        label={t('autoscaler.bootTime')}
        min={0}
        max={3600}
        allowDecimal={false}
        {...form.getInputProps('bootSeconds')}
      />
    </>
  );
}
