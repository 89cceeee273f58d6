import { EVALUATION_LIMITS, type TEvaluation } from '@clockpilot/contracts/autoscaler-evaluation';
import {
  Alert,
  Button,
  FileInput,
  Group,
  NumberInput,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { isApiError } from '../../app/api';
import { EmptyState, ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { EvaluationResult } from './EvaluationResult';
import {
  type EvaluationFormValues,
  initialEvaluationValues,
  useEvaluation,
  useStartEvaluation,
  validateEvaluation,
} from './evaluation';

export const Route = createLazyRoute('/_app/_autoscaler/autoscaler/evaluate')({ component: EvaluationPage });

const MiB = EVALUATION_LIMITS.maxBytes / 1024 / 1024;

/** Replays an uploaded trace through the HPA and the predictive mode and compares them. */
export function EvaluationPage() {
  const form = useForm<EvaluationFormValues>({
    initialValues: initialEvaluationValues,
    validate: validateEvaluation,
  });
  const [sent, setSent] = useState(0);
  const [id, setId] = useState<string | null>(null);
  const start = useStartEvaluation(setSent);
  const evaluation = useEvaluation(id);

  const submit = form.onSubmit(async ({ file, ...rest }) => {
    if (!file) return;
    setSent(0);
    setId(null);
    try {
      setId((await start.mutateAsync({ ...rest, file })).id);
    } catch (e) {
      if (isApiError(e) && Object.keys(e.fieldErrors).length > 0) form.setErrors(e.fieldErrors);
    }
  });
  const fieldError = isApiError(start.error) && Object.keys(start.error.fieldErrors).length > 0;

  return (
    <>
      <PageTitle>Autoscaler evaluation</PageTitle>
      <Stack gap="md">
        <Section id="evaluation-trace" title="Trace and cluster">
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                A CSV of <code>timestamp,requests</code> rows (ISO or Unix timestamps, a regular step; gaps
                count as no requests), at most {EVALUATION_LIMITS.maxRows.toLocaleString('en')} rows and {MiB}{' '}
                MiB. It is replayed in simulated time through the simulator's cluster model, once per policy.
              </Text>
              <FileInput
                label="Trace"
                placeholder="Choose a .csv file"
                accept=".csv,text/csv,text/plain"
                leftSection={<IconFileTypeCsv size={16} aria-hidden />}
                clearable
                {...form.getInputProps('file')}
              />
              <div>
                <Text size="sm" fw={500} id="evaluation-policy">
                  Policies
                </Text>
                <SegmentedControl
                  aria-labelledby="evaluation-policy"
                  data={[
                    { value: 'both', label: 'Both' },
                    { value: 'hpa', label: 'HPA' },
                    { value: 'predictive', label: 'Predictive' },
                  ]}
                  {...form.getInputProps('policy')}
                />
              </div>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <NumberInput
                  label="Capacity per server (req/s)"
                  description="Empty: the peak needs 100 servers"
                  min={0}
                  {...form.getInputProps('serverRps')}
                />
                <NumberInput
                  label="Boot time (s)"
                  min={0}
                  max={3600}
                  {...form.getInputProps('bootSeconds')}
                />
                <NumberInput
                  label="HPA CPU target (%)"
                  min={1}
                  max={100}
                  allowDecimal={false}
                  {...form.getInputProps('hpaTarget')}
                />
              </SimpleGrid>
              {start.isPending && <Progress value={sent * 100} aria-label="Upload progress" />}
              {start.isError && !fieldError && <ErrorState error={start.error} />}
              <Group justify="flex-end">
                <Button type="submit" loading={start.isPending || evaluation.data?.status === 'running'}>
                  Run evaluation
                </Button>
              </Group>
            </Stack>
          </form>
        </Section>
        <Section id="evaluation-result" title="Comparison">
          <Outcome id={id} query={evaluation} />
        </Section>
      </Stack>
    </>
  );
}

function Outcome({ id, query }: { id: string | null; query: ReturnType<typeof useEvaluation> }) {
  if (id === null)
    return (
      <EmptyState title="No evaluation yet">
        Upload a trace to see how the HPA and the predictive mode would have scaled for it.
      </EmptyState>
    );
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const e: TEvaluation | undefined = query.data;
  if (!e) return <LoadingState />;
  if (e.status === 'running') {
    const share = e.progress.total > 0 ? e.progress.done / e.progress.total : 0;
    return (
      <Stack gap={4} role="status" aria-live="polite">
        <Text size="sm">
          Replaying {e.fileName}: {Math.floor(share * 100)} %
        </Text>
        <Progress value={share * 100} aria-label="Replay progress" />
      </Stack>
    );
  }
  if (e.status === 'failed' || !e.result)
    return (
      <Alert color="red" title="The evaluation failed" role="alert">
        {e.error ?? 'No figures came back'}
      </Alert>
    );
  return <EvaluationResult result={e.result} />;
}
