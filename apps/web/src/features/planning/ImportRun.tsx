import {
  IMPORT_FIELDS,
  type TImportDetail,
  type TImportMapping,
} from '@clockpilot/contracts/planning-import';
import { Alert, Group, Progress, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
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
        aria-label="Import progress"
        data-testid="import-progress"
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {run.status === 'queued' ? 'Waiting to start…' : `${done}${total ? ` of ${total}` : ''} rows read`}
      </Text>
    </Stack>
  );
}

export function RunCounts({ run }: { run: TImportDetail }) {
  const items = [
    ['Created', run.counts.created],
    ['Updated', run.counts.updated],
    ['Unchanged', run.counts.unchanged],
    ['With errors', run.counts.failed],
  ] as const;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="import-counts">
      {items.map(([label, n]) => (
        <Stack key={label} gap={0}>
          <Text size="xl" fw={700} c={label === 'With errors' && n > 0 ? 'red' : undefined}>
            {n}
          </Text>
          <Text size="sm" c="dimmed">
            {label}
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
    label: f.required ? `${f.key} (required)` : f.key,
  }));
  const IGNORE = '__ignore';
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table verticalSpacing={4} data-testid="import-columns">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Column in the file</Table.Th>
            <Table.Th scope="col">Read as</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.columns.map((c) => {
            const field = c.header in mapping ? mapping[c.header] : c.field;
            return (
              <Table.Tr key={c.column}>
                <Table.Td>{c.header || `Column ${c.column + 1}`}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Field for column ${c.header}`}
                    data={[{ value: IGNORE, label: 'Ignore this column' }, ...fields]}
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
  if (errors.length === 0) return <EmptyState title="No row errors" />;
  return (
    <Stack gap={4}>
      <Table.ScrollContainer minWidth={480}>
        <Table striped verticalSpacing={4} fz="sm" data-testid="import-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Row</Table.Th>
              <Table.Th scope="col">Column</Table.Th>
              <Table.Th scope="col">Value</Table.Th>
              <Table.Th scope="col">Problem</Table.Th>
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
          The first {errors.length} problems are shown; fix them and preview again to see the rest.
        </Text>
      )}
    </Stack>
  );
}

/** Why a whole run stopped (a refused file, a ceiling, or errors that kept everything out). */
export function RunReason({ run }: { run: TImportDetail }) {
  if (!run.reason) return null;
  return (
    <Alert color="red" title={run.status === 'failed' ? 'Nothing was imported' : 'Note'} role="alert">
      <Group>{run.reason}</Group>
    </Alert>
  );
}
