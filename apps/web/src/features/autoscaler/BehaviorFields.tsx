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
import {
  type ClusterFormValues,
  DIRECTIONS,
  type Direction,
  defaultPolicy,
  SELECT_POLICIES,
} from './cluster-form';

type Form = UseFormReturnType<ClusterFormValues>;

const TITLE: Record<Direction, string> = { scaleUp: 'Scale up', scaleDown: 'Scale down' };
const WINDOW_DEFAULT: Record<Direction, string> = {
  scaleUp: 'Empty: 0 (react at once)',
  scaleDown: "Empty: the controller's 300",
};
const SELECT_HELP: Record<Direction, string> = {
  scaleUp: 'Max: the policy that adds the most servers; Min: the fewest; Disabled: never scale up',
  scaleDown: 'Max: the policy that removes the most servers; Min: the fewest; Disabled: never scale down',
};

/** One direction's HPA rules: stabilization window, policy selection and the rate-limit policies. */
function RulesFields({ form, d }: { form: Form; d: Direction }) {
  const path = `behavior.${d}` as const;
  const policies = form.getValues().behavior[d].policies;
  const title = TITLE[d];
  return (
    <Fieldset legend={title}>
      <Stack gap="xs">
        <SimpleGrid cols={2}>
          <NumberInput
            label="Stabilization window (s)"
            description={WINDOW_DEFAULT[d]}
            min={0}
            max={3600}
            allowDecimal={false}
            {...form.getInputProps(`${path}.stabilizationWindowSeconds`)}
          />
          <Select
            label="Select policy"
            description={SELECT_HELP[d]}
            allowDeselect={false}
            data={[...SELECT_POLICIES]}
            {...form.getInputProps(`${path}.selectPolicy`)}
          />
        </SimpleGrid>
        <Text size="sm" fw={500}>
          Policies (at most this change within each period)
        </Text>
        {policies.map((_, i) => {
          const row = `${path}.policies.${i}`;
          const n = i + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
              <Select
                aria-label={`${title} policy ${n} type`}
                allowDeselect={false}
                w={120}
                data={[
                  { value: 'Pods', label: 'Pods' },
                  { value: 'Percent', label: 'Percent' },
                ]}
                {...form.getInputProps(`${row}.type`)}
              />
              <NumberInput
                aria-label={`${title} policy ${n} value`}
                min={1}
                allowDecimal={false}
                w={110}
                suffix={policies[i]?.type === 'Percent' ? ' %' : undefined}
                {...form.getInputProps(`${row}.value`)}
              />
              <NumberInput
                aria-label={`${title} policy ${n} period (s)`}
                min={1}
                max={1800}
                allowDecimal={false}
                w={130}
                prefix="per "
                suffix=" s"
                {...form.getInputProps(`${row}.periodSeconds`)}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                aria-label={`Remove ${title.toLowerCase()} policy ${n}`}
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
            Add {title.toLowerCase()} policy
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
        label="Scaling policies (HPA behavior)"
        description={
          enabled
            ? "Kubernetes' defaults are filled in; change what this cluster needs"
            : 'Off: the controller’s rules without a behavior section (up to twice the servers or 4 more per sync, down after 300 s)'
        }
        {...form.getInputProps('behavior.enabled', { type: 'checkbox' })}
      />
      {enabled && DIRECTIONS.map((d) => <RulesFields key={d} form={form} d={d} />)}
    </Stack>
  );
}
