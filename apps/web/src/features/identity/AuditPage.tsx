import '@mantine/dates/styles.css';
import type { TAuditEvent, TUser } from '@clockpilot/contracts/identity';
import { Button, Code, Drawer, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { DataTable, rowActionColumn } from '../../app/data-table';
import { dateTimeText } from '../../app/format';
import { t } from '../../app/i18n';
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
      <PageTitle>{t('nav.auditLog')}</PageTitle>
      <Stack gap="sm" mb="sm" component="section" aria-label={t('audit.filters')}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }}>
          <RemoteSelect<TUser>
            label={t('audit.who')}
            placeholder={t('audit.anyone')}
            path={ADMIN.users}
            getLabel={(u) => `${u.displayName} (${u.username})`}
            value={actor}
            onChange={(id) => setActor(id)}
          />
          <TextInput
            label={t('audit.action')}
            placeholder={t('audit.actionHint')}
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
          />
          <TextInput
            label={t('audit.recordType')}
            placeholder={t('audit.recordTypeHint')}
            value={entityType}
            onChange={(e) => setEntityType(e.currentTarget.value)}
          />
          <TextInput
            label={t('audit.recordId')}
            value={entityId}
            onChange={(e) => setEntityId(e.currentTarget.value)}
          />
          <DatePickerInput
            type="range"
            label={t('audit.when')}
            placeholder={t('audit.anyDay')}
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
              {t('audit.clear')}
            </Button>
          </Group>
        )}
      </Stack>
      <DataTable<TAuditEvent>
        caption={t('audit.caption')}
        list={list}
        rowKey={(e) => e.id}
        minWidth={760}
        testId="audit"
        empty={{
          title: filtered ? t('audit.noMatch') : t('audit.none'),
          hint: filtered ? t('audit.noMatchHint') : undefined,
        }}
        columns={[
          {
            key: 'when',
            header: t('audit.when'),
            render: (e) => <span className="tabular">{when(e.occurredAt)}</span>,
          },
          { key: 'who', header: t('audit.who'), render: (e) => actorText(e) },
          { key: 'action', header: t('audit.action'), render: (e) => <Code>{e.action}</Code> },
          {
            key: 'entity',
            header: t('audit.record'),
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
          { key: 'ip', header: t('audit.from'), render: (e) => e.ip ?? '—' },
          rowActionColumn<TAuditEvent>({
            label: t('audit.details'),
            describe: (e) => t('audit.detailsOf', { action: e.action, when: when(e.occurredAt) }),
            onClick: setOpen,
          }),
        ]}
      />
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={t('audit.event')}
        position="right"
        size="xl"
      >
        {open && (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <Meta label={t('audit.when')} value={when(open.occurredAt)} />
              <Meta label={t('audit.who')} value={actorText(open)} />
              <Meta label={t('audit.action')} value={open.action} />
              <Meta label={t('audit.record')} value={`${open.entityType} ${open.entityId ?? ''}`} />
              <Meta label={t('audit.ip')} value={open.ip ?? '—'} />
              <Meta label={t('audit.requestId')} value={open.requestId ?? '—'} />
              <Meta label={t('audit.device')} value={open.userAgent ?? '—'} />
            </SimpleGrid>
            <Title order={3} size="h5">
              {t('audit.changes')}
            </Title>
            <JsonDiff before={open.before} after={open.after} />
          </Stack>
        )}
      </Drawer>
    </>
  );
}

/** A person's name, a system actor's label, or what is left of an account that no longer exists. */
export function actorText(e: TAuditEvent): string {
  if (e.actorLabel) return e.actorLabel;
  if (e.actorName) return e.actorName;
  return e.actorId ? t('audit.removedAccount', { id: e.actorId.slice(0, 8) }) : t('audit.system');
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
