import { NumberInput, Select, SimpleGrid } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { type MessageKey, t } from '../../app/i18n';
import { LOAD_LABELS, LOAD_TYPES, type LoadType, type LoadValues } from './cluster-form';

const PEAK_LABEL: Record<LoadType, MessageKey | null> = {
  constant: null,
  step: 'autoscaler.load.peak.step',
  spike: 'autoscaler.load.peak.spike',
  diurnal: 'autoscaler.load.peak.diurnal',
  randomWalk: 'autoscaler.load.peak.randomWalk',
};
const BASE_LABEL: Record<LoadType, MessageKey> = {
  constant: 'autoscaler.load.base.constant',
  step: 'autoscaler.load.base.step',
  spike: 'autoscaler.load.base.spike',
  diurnal: 'autoscaler.load.base.diurnal',
  randomWalk: 'autoscaler.load.base.randomWalk',
};
const AT_LABEL: Partial<Record<LoadType, MessageKey>> = {
  step: 'autoscaler.load.at.step',
  spike: 'autoscaler.load.at.spike',
  diurnal: 'autoscaler.load.at.diurnal',
};

/** The load pattern's fields of any form that keeps them under `load`. */
export function LoadFields<V extends { load: LoadValues }>({ form }: { form: UseFormReturnType<V> }) {
  const type = form.getValues().load.type;
  const peak = PEAK_LABEL[type];
  const at = AT_LABEL[type];
  return (
    <>
      <Select
        label={t('autoscaler.load.pattern')}
        allowDeselect={false}
        data={LOAD_TYPES.map((type) => ({ value: type, label: t(LOAD_LABELS[type]) }))}
        {...form.getInputProps('load.type')}
      />
      <SimpleGrid cols={2}>
        <NumberInput label={t(BASE_LABEL[type])} min={0} {...form.getInputProps('load.baseRps')} />
        {peak && <NumberInput label={t(peak)} min={0} {...form.getInputProps('load.peakRps')} />}
        {at && (
          <NumberInput label={t(at)} min={0} allowDecimal={false} {...form.getInputProps('load.atSeconds')} />
        )}
        {type === 'spike' && (
          <NumberInput
            label={t('autoscaler.load.spikeLength')}
            min={1}
            allowDecimal={false}
            {...form.getInputProps('load.durationSeconds')}
          />
        )}
        {type === 'diurnal' && (
          <NumberInput
            label={t('autoscaler.load.period')}
            min={1}
            allowDecimal={false}
            {...form.getInputProps('load.periodSeconds')}
          />
        )}
      </SimpleGrid>
    </>
  );
}
