import {
  IMPORT_FIELDS,
  type TImportDetail,
  type TImportMapping,
} from '@clockpilot/contracts/planning-import';
import { Alert, Group, Progress, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { numberText } from '../../app/format';
import { type MessageKey, t, tn } from '../../app/i18n';
import { EmptyState } from '../../app/ui';
import { isDone } from './import-api';

/** Rows done of the total, as a bar; the total is unknown until the file declares or suggests it. */
export function RunProgress({ run }: { run: TImportDetail }) {
  const { done, total } = run.progress;
  const share = total ? Math.min(100, (done / total) * 100) : 0;
  return (
    <Stack gap={4}>
      <Progress
        value={isDone(run) ? 100 : share}
        animated={!isDone(run)}
        aria-label={t('planning.import.progress')}
        data-testid="import-progress"
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {run.status === 'queued'
          ? t('planning.import.waiting')
          : total
            ? t('planning.import.readOf', { done: numberText(done), total: numberText(total) })
            : tn('planning.import.read', done, { done: numberText(done) })}
      </Text>
    </Stack>
  );
}

export function RunCounts({ run }: { run: TImportDetail }) {
  const items: [MessageKey, number][] = [
    ['planning.import.created', run.counts.created],
    ['planning.import.updated', run.counts.updated],
    ['planning.import.unchanged', run.counts.unchanged],
    ['planning.import.withErrors', run.counts.failed],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="import-counts">
      {items.map(([label, n]) => (
        <Stack key={label} gap={0}>
          <Text size="xl" fw={700} c={label === 'planning.import.withErrors' && n > 0 ? 'red' : undefined}>
            {numberText(n)}
          </Text>
          <Text size="sm" c="dimmed">
            {t(label)}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}

/** How each column of the file was read, each changeable to another field or ignored. */
export function ColumnMapping({
  run,
  mapping,
  onChange,
}: {
  run: TImportDetail;
  mapping: TImportMapping;
  onChange: (m: TImportMapping) => void;
}) {
  const fields = IMPORT_FIELDS[run.kind].map((f) => ({
    value: f.key,
    label: f.required ? t('planning.import.required', { field: f.key }) : f.key,
  }));
  const IGNORE = '__ignore';
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table verticalSpacing={4} data-testid="import-columns">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('planning.import.fileColumn')}</Table.Th>
            <Table.Th scope="col">{t('planning.import.readAs')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.columns.map((c) => {
            const field = c.header in mapping ? mapping[c.header] : c.field;
            return (
              <Table.Tr key={c.column}>
                <Table.Td>{c.header || t('planning.import.columnN', { n: c.column + 1 })}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={t('planning.import.fieldFor', { column: c.header })}
                    data={[{ value: IGNORE, label: t('planning.import.ignore') }, ...fields]}
                    value={field ?? IGNORE}
                    allowDeselect={false}
                    onChange={(v) => onChange({ ...mapping, [c.header]: v === IGNORE ? null : v })}
                    size="xs"
                    maw={260}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function RowErrors({ run }: { run: TImportDetail }) {
  const errors = run.errors.items;
  if (errors.length === 0) return <EmptyState title={t('planning.import.noRowErrors')} />;
  return (
    <Stack gap={4}>
      <Table.ScrollContainer minWidth={480}>
        <Table striped verticalSpacing={4} fz="sm" data-testid="import-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('planning.import.row')}</Table.Th>
              <Table.Th scope="col">{t('planning.import.column')}</Table.Th>
              <Table.Th scope="col">{t('planning.import.value')}</Table.Th>
              <Table.Th scope="col">{t('planning.import.problem')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((e) => (
              <Table.Tr key={`${e.row}|${e.column}|${e.message}`}>
                <Table.Td>{e.row}</Table.Td>
                <Table.Td>{e.column ?? '—'}</Table.Td>
                <Table.Td>{e.value ?? ''}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {run.errors.nextCursor && (
        <Text size="sm" c="dimmed">
          {t('planning.import.firstProblems', { count: errors.length })}
        </Text>
      )}
    </Stack>
  );
}

/** Why a whole run stopped (a refused file, a ceiling, or errors that kept everything out). */
export function RunReason({ run }: { run: TImportDetail }) {
  if (!run.reason) return null;
  return (
    <Alert
      color="red"
      title={t(run.status === 'failed' ? 'planning.import.nothingImported' : 'planning.import.note')}
      role="alert"
    >
      <Group>{run.reason}</Group>
    </Alert>
  );
}
