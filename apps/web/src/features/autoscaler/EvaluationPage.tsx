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
import { numberText, percentText } from '../../app/format';
import { t } from '../../app/i18n';
import { EmptyState, ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { EvaluationResult } from './EvaluationResult';
import {
  type EvaluationFormValues,
  initialEvaluationValues,
  POLICY_LABEL,
  useEvaluation,
  useStartEvaluation,
  validateEvaluation,
} from './evaluation';
import { ServerFields } from './ServerFields';

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
      <PageTitle>{t('autoscaler.evaluation')}</PageTitle>
      <Stack gap="md">
        <Section id="evaluation-trace" title={t('autoscaler.traceAndCluster')}>
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t('autoscaler.traceHelp', {
                  rows: numberText(EVALUATION_LIMITS.maxRows),
                  mib: numberText(MiB),
                })}
              </Text>
              <FileInput
                label={t('autoscaler.trace')}
                placeholder={t('autoscaler.chooseCsv')}
                accept=".csv,text/csv,text/plain"
                leftSection={<IconFileTypeCsv size={16} aria-hidden />}
                clearable
                {...form.getInputProps('file')}
              />
              <div>
                <Text size="sm" fw={500} id="evaluation-policy">
                  {t('autoscaler.policies')}
                </Text>
                <SegmentedControl
                  aria-labelledby="evaluation-policy"
                  data={[
                    { value: 'both', label: t('autoscaler.both') },
                    { value: 'hpa', label: t(POLICY_LABEL.hpa) },
                    { value: 'predictive', label: t(POLICY_LABEL.predictive) },
                  ]}
                  {...form.getInputProps('policy')}
                />
              </div>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <ServerFields form={form} capacity="serverRps" capacityHint={t('autoscaler.capacityEmpty')} />
                <NumberInput
                  label={t('autoscaler.hpaTarget')}
                  min={1}
                  max={100}
                  allowDecimal={false}
                  {...form.getInputProps('hpaTarget')}
                />
              </SimpleGrid>
              {start.isPending && <Progress value={sent * 100} aria-label={t('autoscaler.uploadProgress')} />}
              {start.isError && !fieldError && <ErrorState error={start.error} />}
              <Group justify="flex-end">
                <Button type="submit" loading={start.isPending || evaluation.data?.status === 'running'}>
                  {t('autoscaler.run')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Section>
        <Section id="evaluation-result" title={t('autoscaler.comparison')}>
          <Outcome id={id} query={evaluation} />
        </Section>
      </Stack>
    </>
  );
}

function Outcome({ id, query }: { id: string | null; query: ReturnType<typeof useEvaluation> }) {
  if (id === null)
    return <EmptyState title={t('autoscaler.noEvaluation')}>{t('autoscaler.noEvaluationHint')}</EmptyState>;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const e: TEvaluation | undefined = query.data;
  if (!e) return <LoadingState />;
  if (e.status === 'running') {
    const share = e.progress.total > 0 ? e.progress.done / e.progress.total : 0;
    return (
      <Stack gap={4} role="status" aria-live="polite">
        <Text size="sm">
          {t('autoscaler.replaying', {
            file: e.fileName,
            percent: percentText(Math.floor(share * 100) / 100),
          })}
        </Text>
        <Progress value={share * 100} aria-label={t('autoscaler.replayProgress')} />
      </Stack>
    );
  }
  if (e.status === 'failed' || !e.result)
    return (
      <Alert color="red" title={t('autoscaler.failed')} role="alert">
        {e.error ?? t('autoscaler.noFigures')}
      </Alert>
    );
  return <EvaluationResult result={e.result} />;
}
