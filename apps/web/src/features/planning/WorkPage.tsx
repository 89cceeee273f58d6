import type { TPersonView, TProject } from '@clockpilot/contracts/directory';
import { can } from '@clockpilot/contracts/permissions';
import {
  ASSIGNMENT_STATUSES,
  DELIVERABLE_STATUSES,
  type TAssignment,
  type TDeliverable,
  type TDeliverableUpdated,
} from '@clockpilot/contracts/planning';
import { Badge, Select, Tabs, TextInput } from '@mantine/core';
import { IconArrowBackUp } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { RemoteSelect, useNames } from '../../app/remote-select';
import { PageTitle, RowAction } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { CrudTab } from './CrudTab';
import { AssignmentForm, DeliverableForm } from './forms';
import { ReallocationDialog } from './Reallocation';
import type { WORK_TABS } from './routes';

export const Route = createLazyRoute('/_app/_planning/planning/work')({ component: WorkPage });

const PROJECTS = '/api/v1/projects';
const PEOPLE = '/api/v1/people';
const STATUS_COLOR = { planned: 'gray', active: 'blue', done: 'green', cancelled: 'red' } as const;

function ProjectFilter({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  return (
    <RemoteSelect<TProject>
      label="Project"
      placeholder="Any project"
      clearable
      path={PROJECTS}
      getLabel={(p) => `${p.code} · ${p.name}`}
      value={value}
      onChange={onChange}
      w={{ base: '100%', xs: 240 }}
    />
  );
}

function StatusFilter({
  options,
  value,
  onChange,
}: {
  options: readonly string[];
  value: string | null;
  onChange: (v: string | null) => void;
}) {
  return (
    <Select
      label="Status"
      placeholder="Any"
      clearable
      data={[...options]}
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
        noun="deliverable"
        sorts={['dueDate', 'startDate', 'name', 'createdAt'] as const}
        params={{ projectId, status, dueFrom, dueTo }}
        filters={
          <>
            <ProjectFilter value={projectId} onChange={setProjectId} />
            <StatusFilter options={DELIVERABLE_STATUSES} value={status} onChange={setStatus} />
            <TextInput
              label="Due from"
              type="date"
              value={dueFrom}
              onChange={(e) => setDueFrom(e.currentTarget.value)}
            />
            <TextInput
              label="Due until"
              type="date"
              value={dueTo}
              onChange={(e) => setDueTo(e.currentTarget.value)}
            />
          </>
        }
        columns={[
          { key: 'name', header: 'Name', sortKey: 'name', render: (d: TDeliverable) => d.name },
          {
            key: 'project',
            header: 'Project',
            render: (d: TDeliverable) => <ProjectName id={d.projectId} />,
          },
          {
            key: 'start',
            header: 'Start',
            sortKey: 'startDate',
            render: (d: TDeliverable) => d.startDate ?? '—',
          },
          { key: 'due', header: 'Due', sortKey: 'dueDate', render: (d: TDeliverable) => d.dueDate },
          {
            key: 'status',
            header: 'Status',
            render: (d: TDeliverable) => (
              <Badge variant="light" color={STATUS_COLOR[d.status]}>
                {d.status}
              </Badge>
            ),
          },
        ]}
        Form={DeliverableForm}
        describe={(d) => d.name}
        rowActions={(d) =>
          can(me.role, 'planning:manage') && (
            <RowAction
              tip="Undo the last reallocation"
              label={`Undo the last reallocation of ${d.name}`}
              icon={<IconArrowBackUp size={18} aria-hidden />}
              onClick={() => setMoved({ d, r: null })}
            />
          )
        }
        onSaved={(saved, before) => {
          const d = saved as TDeliverableUpdated;
          if (before && d.reallocation && before.dueDate !== d.dueDate) setMoved({ d, r: d.reallocation });
        }}
        empty={{ title: 'No deliverables', hint: 'Create one to plan work towards its due date.' }}
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
      noun="assignment"
      sorts={['createdAt', 'updatedAt'] as const}
      params={{ projectId, personId, status }}
      filters={
        <>
          <ProjectFilter value={projectId} onChange={setProjectId} />
          {can(me.role, 'planning:manage') && (
            <RemoteSelect<TPersonView>
              label="Person"
              placeholder="Anyone"
              clearable
              path={PEOPLE}
              getLabel={(p) => p.name}
              value={personId}
              onChange={setPersonId}
              w={{ base: '100%', xs: 200 }}
            />
          )}
          <StatusFilter options={ASSIGNMENT_STATUSES} value={status} onChange={setStatus} />
        </>
      }
      columns={[
        { key: 'who', header: 'Who', render: (a: TAssignment) => <Who a={a} /> },
        { key: 'project', header: 'Project', render: (a: TAssignment) => <ProjectName id={a.projectId} /> },
        {
          key: 'deliverable',
          header: 'Deliverable',
          render: (a: TAssignment) => <DeliverableName id={a.deliverableId} />,
        },
        { key: 'status', header: 'Status', render: (a: TAssignment) => a.status },
        {
          key: 'created',
          header: 'Created',
          sortKey: 'createdAt',
          render: (a: TAssignment) => a.createdAt.slice(0, 10),
        },
      ]}
      Form={AssignmentForm}
      describe={(a) => `assignment ${a.placeholder ?? ''}`.trim()}
      empty={{ title: 'No assignments', hint: 'Assign people or open roles to a project.' }}
    />
  );
}

function Who({ a }: { a: TAssignment }) {
  const names = useNames(PEOPLE, [a.personId]);
  return <>{a.personId ? (names.get(a.personId) ?? '…') : `${a.placeholder} (open role)`}</>;
}

function DeliverableName({ id }: { id: string | null }) {
  const names = useNames('/api/v1/planning/deliverables', [id]);
  return <>{id ? (names.get(id) ?? '…') : 'Whole project'}</>;
}

export function WorkPage() {
  const search = useSearch({ from: '/_app/_planning/planning/work' });
  const navigate = useNavigate({ from: '/planning/work' });
  const tab = search.tab ?? 'deliverables';
  return (
    <>
      <PageTitle>Deliverables and assignments</PageTitle>
      <Tabs
        value={tab}
        onChange={(t) =>
          void navigate({ search: { tab: (t ?? 'deliverables') as (typeof WORK_TABS)[number] } })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="deliverables">Deliverables</Tabs.Tab>
          <Tabs.Tab value="assignments">Assignments</Tabs.Tab>
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
