import { IMPORT_KINDS, type TImportKind, type TImportMapping } from '@clockpilot/contracts/planning-import';
import {
  Button,
  Group,
  Paper,
  Progress,
  Select,
  Stack,
  Stepper,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconUpload } from '@tabler/icons-react';
import { createLazyRoute } from '@tanstack/react-router';
import { type DragEvent, useRef, useState } from 'react';
import { errorMessage } from '../../app/api';
import { numberText } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { ColumnMapping, RowErrors, RunCounts, RunProgress, RunReason } from './ImportRun';
import { isDone, useImportRun, useRerunImport, useUploadImport } from './import-api';

export const Route = createLazyRoute('/_app/_planning/planning/import')({ component: ImportPage });

const KIND_LABELS: Record<TImportKind, MessageKey> = {
  people: 'planning.import.kind.people',
  projects: 'planning.import.kind.projects',
  assignments: 'planning.import.kind.assignments',
};

/** Drop a file here or pick one; only .xlsx and .csv are offered. */
function FileDrop({ file, onFile }: { file: File | null; onFile: (f: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) onFile(f);
  };
  return (
    <Paper
      withBorder
      p="lg"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      style={{ borderStyle: 'dashed', background: over ? 'var(--mantine-color-blue-0)' : undefined }}
    >
      <Stack align="center" gap="xs">
        <IconUpload size={28} aria-hidden />
        <Text ta="center">
          {file
            ? t('planning.import.file', { name: file.name, kb: numberText(Math.ceil(file.size / 1024)) })
            : t('planning.import.drop')}
        </Text>
        <Button variant="light" onClick={() => input.current?.click()}>
          {t(file ? 'planning.import.chooseAnother' : 'planning.import.choose')}
        </Button>
        <input
          ref={input}
          type="file"
          hidden
          aria-label={t('planning.import.spreadsheet')}
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) onFile(f);
          }}
        />
      </Stack>
    </Paper>
  );
}

export function ImportPage() {
  const [kind, setKind] = useState<TImportKind>('people');
  const [dateFormat, setDateFormat] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [applyId, setApplyId] = useState<string | null>(null);
  const [mapping, setMapping] = useState<TImportMapping>({});
  const send = useUploadImport(setSent);
  const rerun = useRerunImport();
  const preview = useImportRun(previewId);
  const applied = useImportRun(applyId);
  // On a phone the four steps fit on one line only without their descriptions.
  const wide = useMediaQuery('(min-width: 48em)');
  const step = applyId ? (isDone(applied.data) ? 3 : 2) : previewId ? 1 : 0;

  const restart = () => {
    setPreviewId(null);
    setApplyId(null);
    setMapping({});
    setFile(null);
    setSent(0);
    send.reset();
  };
  const start = () => {
    if (!file) return;
    setSent(0);
    send.mutate({ file, kind, dateFormat }, { onSuccess: (r) => setPreviewId(r.id) });
  };
  const remap = () =>
    previewId &&
    rerun.mutate({ id: previewId, dryRun: true, mapping }, { onSuccess: (r) => setPreviewId(r.id) });
  const apply = () =>
    previewId && rerun.mutate({ id: previewId, dryRun: false }, { onSuccess: (r) => setApplyId(r.id) });

  const run = preview.data;
  const ready = run && isDone(run) && run.status === 'succeeded';
  return (
    <>
      <PageTitle>{t('planning.import.title')}</PageTitle>
      <Stepper active={step === 3 ? 4 : step} size="sm" mb="lg" allowNextStepsSelect={false}>
        <Stepper.Step
          label={t('planning.import.upload')}
          description={wide && t('planning.import.uploadHint')}
        />
        <Stepper.Step
          label={t('planning.import.preview')}
          description={wide && t('planning.import.previewHint')}
        />
        <Stepper.Step
          label={t('planning.import.import')}
          description={wide && t('planning.import.importHint')}
        />
        <Stepper.Step label={t('planning.import.done')} />
      </Stepper>
      {step === 0 && (
        <Stack gap="sm" maw={560}>
          <Select
            label={t('planning.import.kind')}
            data={IMPORT_KINDS.map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
            value={kind}
            onChange={(v) => v && setKind(v as TImportKind)}
            allowDeselect={false}
          />
          <TextInput
            label={t('planning.import.dateFormat')}
            description={t('planning.import.dateFormatHint')}
            value={dateFormat}
            onChange={(e) => setDateFormat(e.currentTarget.value)}
          />
          <FileDrop file={file} onFile={setFile} />
          {send.isPending && <Progress value={sent * 100} aria-label={t('planning.import.uploadProgress')} />}
          {send.isError && <ErrorState error={send.error} />}
          <Group justify="flex-end">
            <Button onClick={start} disabled={!file} loading={send.isPending}>
              {t('planning.import.uploadAndPreview')}
            </Button>
          </Group>
        </Stack>
      )}
      {step === 1 &&
        (!run ? (
          preview.isError ? (
            <ErrorState error={preview.error} />
          ) : (
            <LoadingState />
          )
        ) : (
          <Stack gap="md">
            <Text size="sm">{t('planning.import.dryRun', { file: run.fileName })}</Text>
            {!isDone(run) && <RunProgress run={run} />}
            <RunReason run={run} />
            {isDone(run) && (
              <>
                <RunCounts run={run} />
                {run.columns.length > 0 && (
                  <>
                    <Title order={2} size="h4">
                      {t('planning.import.columns')}
                    </Title>
                    <ColumnMapping run={run} mapping={mapping} onChange={setMapping} />
                  </>
                )}
                <Title order={2} size="h4">
                  {t('planning.import.rowErrors')}
                </Title>
                <RowErrors run={run} />
              </>
            )}
            {isDone(run) && run.counts.failed > 0 && (
              <Text size="sm" c="dimmed">
                {t('planning.import.allOrNothing')}
              </Text>
            )}
            {rerun.isError && <Text c="red">{errorMessage(rerun.error)}</Text>}
            <Group justify="flex-end" wrap="wrap">
              <Button variant="default" onClick={restart}>
                {t('planning.import.startOver')}
              </Button>
              {isDone(run) && run.columns.length > 0 && (
                <Button
                  variant="light"
                  onClick={remap}
                  disabled={Object.keys(mapping).length === 0}
                  loading={rerun.isPending}
                >
                  {t('planning.import.previewAgain')}
                </Button>
              )}
              <Button onClick={apply} disabled={!ready || run.counts.failed > 0} loading={rerun.isPending}>
                {t('planning.import.import')}
              </Button>
            </Group>
          </Stack>
        ))}
      {step >= 2 && applied.data && (
        <Stack gap="md">
          <RunProgress run={applied.data} />
          {step === 3 && (
            <>
              <Text fw={600} data-testid="import-result">
                {t(
                  applied.data.status === 'succeeded' ? 'planning.import.imported' : 'planning.import.failed',
                )}
              </Text>
              <RunReason run={applied.data} />
              <RunCounts run={applied.data} />
              {applied.data.counts.failed > 0 && <RowErrors run={applied.data} />}
              <Group justify="flex-end">
                <Button onClick={restart}>{t('planning.import.another')}</Button>
              </Group>
            </>
          )}
        </Stack>
      )}
    </>
  );
}
