import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  Input,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { type MessageKey, t } from '../../app/i18n';
import {
  type ClusterFormValues,
  DIRECTIONS,
  type Direction,
  defaultPolicy,
  type PolicyValues,
  SELECT_POLICIES,
} from './cluster-form';

type Form = UseFormReturnType<ClusterFormValues>;

type DirectionText = Record<'title' | 'window' | 'select' | 'add' | 'remove', MessageKey>;
/** Per direction: the fieldset's title, the empty window's meaning, what each selection does, the row buttons. */
const TEXT: Record<Direction, DirectionText> = {
  scaleUp: {
    title: 'autoscaler.scaleUp',
    window: 'autoscaler.windowEmpty.scaleUp',
    select: 'autoscaler.selectHelp.scaleUp',
    add: 'autoscaler.addPolicy.scaleUp',
    remove: 'autoscaler.removePolicy.scaleUp',
  },
  scaleDown: {
    title: 'autoscaler.scaleDown',
    window: 'autoscaler.windowEmpty.scaleDown',
    select: 'autoscaler.selectHelp.scaleDown',
    add: 'autoscaler.addPolicy.scaleDown',
    remove: 'autoscaler.removePolicy.scaleDown',
  },
};
const POLICY_TYPE: Record<PolicyValues['type'], MessageKey> = {
  Pods: 'autoscaler.policyType.Pods',
  Percent: 'autoscaler.policyType.Percent',
};
const SELECT_POLICY: Record<(typeof SELECT_POLICIES)[number], MessageKey> = {
  Max: 'autoscaler.selectPolicy.Max',
  Min: 'autoscaler.selectPolicy.Min',
  Disabled: 'autoscaler.selectPolicy.Disabled',
};

/** One direction's HPA rules: stabilization window, policy selection and the rate-limit policies. */
function RulesFields({ form, d }: { form: Form; d: Direction }) {
  const path = `behavior.${d}` as const;
  const policies = form.getValues().behavior[d].policies;
  const title = t(TEXT[d].title);
  return (
    <Fieldset legend={title}>
      <Stack gap="xs">
        <SimpleGrid cols={2}>
          <NumberInput
            label={t('autoscaler.window')}
            description={t(TEXT[d].window)}
            min={0}
            max={3600}
            allowDecimal={false}
            {...form.getInputProps(`${path}.stabilizationWindowSeconds`)}
          />
          <Select
            label={t('autoscaler.selectPolicy')}
            description={t(TEXT[d].select)}
            allowDeselect={false}
            data={SELECT_POLICIES.map((p) => ({ value: p, label: t(SELECT_POLICY[p]) }))}
            {...form.getInputProps(`${path}.selectPolicy`)}
          />
        </SimpleGrid>
        <Text size="sm" fw={500}>
          {t('autoscaler.policiesHelp')}
        </Text>
        {policies.map((_, i) => {
          const row = `${path}.policies.${i}`;
          const n = i + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
              <Select
                aria-label={t('autoscaler.policyTypeOf', { direction: title, n })}
                allowDeselect={false}
                w={120}
                data={(['Pods', 'Percent'] as const).map((p) => ({ value: p, label: t(POLICY_TYPE[p]) }))}
                {...form.getInputProps(`${row}.type`)}
              />
              <NumberInput
                aria-label={t('autoscaler.policyValueOf', { direction: title, n })}
                min={1}
                allowDecimal={false}
                w={110}
                suffix={policies[i]?.type === 'Percent' ? ' %' : undefined}
                {...form.getInputProps(`${row}.value`)}
              />
              <NumberInput
                aria-label={t('autoscaler.policyPeriodOf', { direction: title, n })}
                min={1}
                max={1800}
                allowDecimal={false}
                w={130}
                prefix={t('autoscaler.per')}
                suffix=" s"
                {...form.getInputProps(`${row}.periodSeconds`)}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                aria-label={t(TEXT[d].remove, { n })}
                onClick={() => form.removeListItem(`${path}.policies`, i)}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          );
        })}
        {form.errors[`${path}.policies`] && <Input.Error>{form.errors[`${path}.policies`]}</Input.Error>}
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconPlus size={14} />}
            onClick={() => form.insertListItem(`${path}.policies`, defaultPolicy(d))}
          >
            {t(TEXT[d].add)}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** Kubernetes' `spec.behavior`, shown with its defaults when switched on. */
export function BehaviorFields({ form }: { form: Form }) {
  const enabled = form.getValues().behavior.enabled;
  return (
    <Stack gap="xs">
      <Switch
        label={t('autoscaler.behavior')}
        description={t(enabled ? 'autoscaler.behaviorOn' : 'autoscaler.behaviorOff')}
        {...form.getInputProps('behavior.enabled', { type: 'checkbox' })}
      />
      {enabled && DIRECTIONS.map((d) => <RulesFields key={d} form={form} d={d} />)}
    </Stack>
  );
}
