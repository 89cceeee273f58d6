import '@mantine/dates/styles.css';
import type { TAuditEvent, TUser } from '@clockpilot/contracts/identity';
import { Button, Code, Drawer, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { DataTable, rowActionColumn } from '../../app/data-table';
import { dateTimeText } from '../../app/format';
import { usePagedList } from '../../app/list';
import { RemoteSelect } from '../../app/remote-select';
import { PageTitle } from '../../app/ui';
import { ADMIN, adminKeys } from './admin-api';
import { JsonDiff } from './JsonDiff';

export const Route = createLazyRoute('/_app/_identity/admin/audit')({ component: AuditPage });

/** Start of a local day as an instant; `end` gives the start of the next day. */
function dayBoundary(day: string | null, end = false): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (end ? 1 : 0)).toISOString();
}

const when = (iso: string) => dateTimeText(iso, undefined, true);

export function AuditPage() {
  const [actor, setActor] = useState<string | null>(null);
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const [entityId, setEntityId] = useState('');
  const [range, setRange] = useState<[string | null, string | null]>([null, null]);
  const [text] = useDebouncedValue(
    { action: action.trim(), entityType: entityType.trim(), entityId: entityId.trim() },
    300,
  );
  const [open, setOpen] = useState<TAuditEvent | null>(null);

  const list = usePagedList<TAuditEvent>({
    queryKey: adminKeys.audit,
    path: ADMIN.audit,
    params: {
      actor,
      action: text.action,
      entityType: text.entityType,
      entityId: text.entityId,
      from: dayBoundary(range[0]),
      to: dayBoundary(range[1] ?? range[0], true),
    },
  });
  const filtered = Boolean(actor || action || entityType || entityId || range[0]);

  function clear() {
    setActor(null);
    setAction('');
    setEntityType('');
    setEntityId('');
    setRange([null, null]);
  }

  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <Stack gap="sm" mb="sm" component="section" aria-label="Filters">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }}>
          <RemoteSelect<TUser>
            label="Who"
            placeholder="Anyone"
            path={ADMIN.users}
            getLabel={(u) => `${u.displayName} (${u.username})`}
            value={actor}
            onChange={(id) => setActor(id)}
          />
          <TextInput
            label="Action"
            placeholder="e.g. user.updated"
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
          />
          <TextInput
            label="Record type"
            placeholder="e.g. person"
            value={entityType}
            onChange={(e) => setEntityType(e.currentTarget.value)}
          />
          <TextInput
            label="Record id"
            value={entityId}
            onChange={(e) => setEntityId(e.currentTarget.value)}
          />
          <DatePickerInput
            type="range"
            label="When"
            placeholder="Any day"
            value={range}
            onChange={(v) => setRange(v as [string | null, string | null])}
            clearable
            allowSingleDateInRange
            popoverProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        {filtered && (
          <Group>
            <Button variant="subtle" size="xs" onClick={clear}>
              Clear filters
            </Button>
          </Group>
        )}
      </Stack>
      <DataTable<TAuditEvent>
        caption="Audit events, newest first"
        list={list}
        rowKey={(e) => e.id}
        minWidth={760}
        testId="audit"
        empty={{
          title: filtered ? 'No events match' : 'No events yet',
          hint: filtered ? 'Change or clear the filters.' : undefined,
        }}
        columns={[
          {
            key: 'when',
            header: 'When',
            render: (e) => <span className="tabular">{when(e.occurredAt)}</span>,
          },
          { key: 'who', header: 'Who', render: (e) => actorText(e) },
          { key: 'action', header: 'Action', render: (e) => <Code>{e.action}</Code> },
          {
            key: 'entity',
            header: 'Record',
            render: (e) => (
              <Text size="sm">
                {e.entityType}
                {e.entityId && (
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {' '}
                    {e.entityId.slice(0, 8)}
                  </Text>
                )}
              </Text>
            ),
          },
          { key: 'ip', header: 'From', render: (e) => e.ip ?? '—' },
          rowActionColumn<TAuditEvent>({
            label: 'Details',
            describe: (e) => `Details of ${e.action} at ${when(e.occurredAt)}`,
            onClick: setOpen,
          }),
        ]}
      />
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        title="Audit event"
        position="right"
        size="xl"
      >
        {open && (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <Meta label="When" value={when(open.occurredAt)} />
              <Meta label="Who" value={actorText(open)} />
              <Meta label="Action" value={open.action} />
              <Meta label="Record" value={`${open.entityType} ${open.entityId ?? ''}`} />
              <Meta label="IP address" value={open.ip ?? '—'} />
              <Meta label="Request id" value={open.requestId ?? '—'} />
              <Meta label="Device" value={open.userAgent ?? '—'} />
            </SimpleGrid>
            <Title order={3} size="h5">
              Changes
            </Title>
            <JsonDiff before={open.before} after={open.after} />
          </Stack>
        )}
      </Drawer>
    </>
  );
}

/** The actor's label, or their user name looked up by id, or "System" for changes nobody made. */
/** A person's name, a system actor's label, or what is left of an account that no longer exists. */
export function actorText(e: TAuditEvent): string {
  if (e.actorLabel) return e.actorLabel;
  if (e.actorName) return e.actorName;
  return e.actorId ? `Removed account ${e.actorId.slice(0, 8)}` : 'System';
}

function Meta({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
    </div>
  );
}
