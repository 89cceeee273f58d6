import type { TPersonView, TProject } from '@clockpilot/contracts/directory';
import { can } from '@clockpilot/contracts/permissions';
import type { TAssignment, TDeliverable, TDeliverableUpdated } from '@clockpilot/contracts/planning';
import { Badge, Select, Tabs } from '@mantine/core';
import { IconArrowBackUp } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { dateText, instantDate } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { RemoteSelect, useNames } from '../../app/remote-select';
import { PageTitle, RowAction } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { CrudTab } from './CrudTab';
import { DateRange } from './DateRange';
import { AssignmentForm, DeliverableForm } from './forms';
import { ReallocationDialog } from './Reallocation';
import type { WORK_TABS } from './routes';
import { ASSIGNMENT_STATUS_LABEL, DELIVERABLE_STATUS_LABEL, openRole } from './text';

export const Route = createLazyRoute('/_app/_planning/planning/work')({ component: WorkPage });

const PROJECTS = '/api/v1/projects';
const PEOPLE = '/api/v1/people';
const STATUS_COLOR = { planned: 'gray', active: 'blue', done: 'green', cancelled: 'red' } as const;

function ProjectFilter({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  return (
    <RemoteSelect<TProject>
      label={t('planning.project')}
      placeholder={t('planning.anyProject')}
      clearable
      path={PROJECTS}
      getLabel={(p) => `${p.code} · ${p.name}`}
      value={value}
      onChange={onChange}
      w={{ base: '100%', xs: 240 }}
    />
  );
}

function StatusFilter<S extends string>({
  labels,
  value,
  onChange,
}: {
  labels: Record<S, MessageKey>;
  value: string | null;
  onChange: (v: string | null) => void;
}) {
  return (
    <Select
      label={t('planning.status')}
      placeholder={t('planning.any')}
      clearable
      data={(Object.keys(labels) as S[]).map((s) => ({ value: s, label: t(labels[s]) }))}
      value={value}
      onChange={onChange}
      w={{ base: '100%', xs: 140 }}
    />
  );
}

function DeliverablesTab() {
  const me = useMe();
  const [projectId, setProjectId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [dueFrom, setDueFrom] = useState('');
  const [dueTo, setDueTo] = useState('');
  const [moved, setMoved] = useState<{ d: TDeliverable; r: TDeliverableUpdated['reallocation'] } | null>(
    null,
  );
  return (
    <>
      <CrudTab
        resource="deliverables"
        sorts={['dueDate', 'startDate', 'name', 'createdAt'] as const}
        params={{ projectId, status, dueFrom, dueTo }}
        filters={
          <>
            <ProjectFilter value={projectId} onChange={setProjectId} />
            <StatusFilter labels={DELIVERABLE_STATUS_LABEL} value={status} onChange={setStatus} />
            <DateRange
              from={dueFrom}
              to={dueTo}
              onFrom={setDueFrom}
              onTo={setDueTo}
              labels={['planning.dueFrom', 'planning.dueUntil']}
            />
          </>
        }
        columns={[
          { key: 'name', header: t('planning.name'), sortKey: 'name', render: (d: TDeliverable) => d.name },
          {
            key: 'project',
            header: t('planning.project'),
            render: (d: TDeliverable) => <ProjectName id={d.projectId} />,
          },
          {
            key: 'start',
            header: t('planning.start'),
            sortKey: 'startDate',
            render: (d: TDeliverable) => (d.startDate ? dateText(d.startDate) : '—'),
          },
          {
            key: 'due',
            header: t('planning.due'),
            sortKey: 'dueDate',
            render: (d: TDeliverable) => dateText(d.dueDate),
          },
          {
            key: 'status',
            header: t('planning.status'),
            render: (d: TDeliverable) => (
              <Badge variant="light" color={STATUS_COLOR[d.status]}>
                {t(DELIVERABLE_STATUS_LABEL[d.status])}
              </Badge>
            ),
          },
        ]}
        Form={DeliverableForm}
        describe={(d) => d.name}
        rowActions={(d) =>
          can(me.role, 'planning:manage') && (
            <RowAction
              tip={t('planning.undoLast')}
              label={t('planning.undoLastOf', { name: d.name })}
              icon={<IconArrowBackUp size={18} aria-hidden />}
              onClick={() => setMoved({ d, r: null })}
            />
          )
        }
        onSaved={(saved, before) => {
          const d = saved as TDeliverableUpdated;
          if (before && d.reallocation && before.dueDate !== d.dueDate) setMoved({ d, r: d.reallocation });
        }}
        empty={{ title: t('planning.noDeliverables'), hint: t('planning.noDeliverablesHint') }}
      />
      <ReallocationDialog
        deliverable={moved?.d ?? null}
        reallocation={moved?.r ?? null}
        onClose={() => setMoved(null)}
      />
    </>
  );
}

function ProjectName({ id }: { id: string }) {
  const names = useNames(PROJECTS, [id]);
  return <>{names.get(id) ?? '…'}</>;
}

function AssignmentsTab() {
  const [projectId, setProjectId] = useState<string | null>(null);
  const [personId, setPersonId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const me = useMe();
  return (
    <CrudTab
      resource="assignments"
      sorts={['createdAt', 'updatedAt'] as const}
      params={{ projectId, personId, status }}
      filters={
        <>
          <ProjectFilter value={projectId} onChange={setProjectId} />
          {can(me.role, 'planning:manage') && (
            <RemoteSelect<TPersonView>
              label={t('planning.person')}
              placeholder={t('planning.anyone')}
              clearable
              path={PEOPLE}
              getLabel={(p) => p.name}
              value={personId}
              onChange={setPersonId}
              w={{ base: '100%', xs: 200 }}
            />
          )}
          <StatusFilter labels={ASSIGNMENT_STATUS_LABEL} value={status} onChange={setStatus} />
        </>
      }
      columns={[
        { key: 'who', header: t('planning.who'), render: (a: TAssignment) => <Who a={a} /> },
        {
          key: 'project',
          header: t('planning.project'),
          render: (a: TAssignment) => <ProjectName id={a.projectId} />,
        },
        {
          key: 'deliverable',
          header: t('planning.deliverable'),
          render: (a: TAssignment) => <DeliverableName id={a.deliverableId} />,
        },
        {
          key: 'status',
          header: t('planning.status'),
          render: (a: TAssignment) => t(ASSIGNMENT_STATUS_LABEL[a.status]),
        },
        {
          key: 'created',
          header: t('planning.created'),
          sortKey: 'createdAt',
          render: (a: TAssignment) => instantDate(a.createdAt),
        },
      ]}
      Form={AssignmentForm}
      describe={(a) => (a.placeholder ? openRole(a.placeholder) : t('planning.assignment'))}
      empty={{ title: t('planning.noAssignments'), hint: t('planning.noAssignmentsHint') }}
    />
  );
}

function Who({ a }: { a: TAssignment }) {
  const names = useNames(PEOPLE, [a.personId]);
  return <>{a.personId ? (names.get(a.personId) ?? '…') : openRole(a.placeholder)}</>;
}

function DeliverableName({ id }: { id: string | null }) {
  const names = useNames('/api/v1/planning/deliverables', [id]);
  return <>{id ? (names.get(id) ?? '…') : t('planning.wholeProject')}</>;
}

export function WorkPage() {
  const search = useSearch({ from: '/_app/_planning/planning/work' });
  const navigate = useNavigate({ from: '/planning/work' });
  const tab = search.tab ?? 'deliverables';
  return (
    <>
      <PageTitle>{t('planning.work')}</PageTitle>
      <Tabs
        value={tab}
        onChange={(tab) =>
          void navigate({ search: { tab: (tab ?? 'deliverables') as (typeof WORK_TABS)[number] } })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="deliverables">{t('planning.deliverables')}</Tabs.Tab>
          <Tabs.Tab value="assignments">{t('planning.assignments')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="deliverables">
          <DeliverablesTab />
        </Tabs.Panel>
        <Tabs.Panel value="assignments">
          <AssignmentsTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
