import { NumberInput, Select, SimpleGrid } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { LOAD_LABELS, LOAD_TYPES, type LoadType, type LoadValues } from './cluster-form';

const PEAK_LABEL: Record<LoadType, string | null> = {
  constant: null,
  step: 'Rate after the step (req/s)',
  spike: 'Spike rate (req/s)',
  diurnal: 'Swing above and below (req/s)',
  randomWalk: 'Highest rate (req/s)',
};
const BASE_LABEL: Record<LoadType, string> = {
  constant: 'Requests per second',
  step: 'Rate before the step (req/s)',
  spike: 'Rate outside spikes (req/s)',
  diurnal: 'Average rate (req/s)',
  randomWalk: 'Starting rate (req/s)',
};
const AT_LABEL: Partial<Record<LoadType, string>> = {
  step: 'Step at (simulated s)',
  spike: 'Spike at (simulated s)',
  diurnal: 'Peak at (simulated s)',
};

/** The load pattern's fields of any form that keeps them under `load`. */
export function LoadFields<V extends { load: LoadValues }>({ form }: { form: UseFormReturnType<V> }) {
  const type = form.getValues().load.type;
  const peak = PEAK_LABEL[type];
  const at = AT_LABEL[type];
  return (
    <>
      <Select
        label="Load pattern"
        allowDeselect={false}
        data={LOAD_TYPES.map((t) => ({ value: t, label: LOAD_LABELS[t] }))}
        {...form.getInputProps('load.type')}
      />
      <SimpleGrid cols={2}>
        <NumberInput label={BASE_LABEL[type]} min={0} {...form.getInputProps('load.baseRps')} />
        {peak && <NumberInput label={peak} min={0} {...form.getInputProps('load.peakRps')} />}
        {at && (
          <NumberInput label={at} min={0} allowDecimal={false} {...form.getInputProps('load.atSeconds')} />
        )}
        {type === 'spike' && (
          <NumberInput
            label="Spike length (s)"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('load.durationSeconds')}
          />
        )}
        {type === 'diurnal' && (
          <NumberInput
            label="Period (s)"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('load.periodSeconds')}
          />
        )}
      </SimpleGrid>
    </>
  );
}
