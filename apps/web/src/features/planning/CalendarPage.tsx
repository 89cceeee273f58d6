import type { TPersonView } from '@clockpilot/contracts/directory';
import { can } from '@clockpilot/contracts/permissions';
import type { THoliday, TTimeOff } from '@clockpilot/contracts/planning';
import { Tabs, TextInput } from '@mantine/core';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { RemoteSelect, useNames } from '../../app/remote-select';
import { PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { CrudTab } from './CrudTab';
import { HolidayForm, TimeOffForm } from './forms';
import type { CALENDAR_TABS } from './routes';

export const Route = createLazyRoute('/_app/_planning/planning/calendar')({ component: CalendarPage });

const PEOPLE = '/api/v1/people';

function DateRange({
  from,
  to,
  onFrom,
  onTo,
}: {
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
}) {
  return (
    <>
      <TextInput label="From" type="date" value={from} onChange={(e) => onFrom(e.currentTarget.value)} />
      <TextInput label="Until" type="date" value={to} onChange={(e) => onTo(e.currentTarget.value)} />
    </>
  );
}

function PersonName({ id }: { id: string }) {
  const names = useNames(PEOPLE, [id]);
  return <>{names.get(id) ?? '…'}</>;
}

function TimeOffTab() {
  const me = useMe();
  const [personId, setPersonId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const fraction = (f: number) =>
    f === 1 ? 'Full days' : f === 0.5 ? 'Half days' : `${Math.round(f * 100)} % of each day`;
  return (
    <CrudTab
      resource="time-off"
      noun="time off"
      sorts={['startDate'] as const}
      params={{ personId, from, to }}
      filters={
        <>
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
          <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        </>
      }
      columns={[
        { key: 'person', header: 'Person', render: (t: TTimeOff) => <PersonName id={t.personId} /> },
        { key: 'start', header: 'First day', sortKey: 'startDate', render: (t: TTimeOff) => t.startDate },
        { key: 'end', header: 'Last day', render: (t: TTimeOff) => t.endDate },
        { key: 'fraction', header: 'Off', render: (t: TTimeOff) => fraction(t.dayFraction) },
        { key: 'note', header: 'Note', render: (t: TTimeOff) => t.note ?? '' },
      ]}
      Form={TimeOffForm}
      describe={(t) => `time off ${t.startDate}–${t.endDate}`}
      empty={{ title: 'No time off', hint: 'Time off lowers a person’s capacity in the plan.' }}
    />
  );
}

function HolidaysTab() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [region, setRegion] = useState('');
  return (
    <CrudTab
      resource="holidays"
      noun="holiday"
      sorts={['date'] as const}
      params={{ from, to, region: region.trim() }}
      filters={
        <>
          <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
          <TextInput
            label="Region"
            value={region}
            onChange={(e) => setRegion(e.currentTarget.value)}
            w={140}
          />
        </>
      }
      columns={[
        { key: 'date', header: 'Date', sortKey: 'date', render: (h: THoliday) => h.date },
        { key: 'name', header: 'Name', render: (h: THoliday) => h.name },
        { key: 'region', header: 'Region', render: (h: THoliday) => h.region ?? 'Whole company' },
      ]}
      Form={HolidayForm}
      describe={(h) => `${h.name} (${h.date})`}
      empty={{ title: 'No holidays', hint: 'Holidays take their day out of everyone’s capacity.' }}
    />
  );
}

export function CalendarPage() {
  const search = useSearch({ from: '/_app/_planning/planning/calendar' });
  const navigate = useNavigate({ from: '/planning/calendar' });
  return (
    <>
      <PageTitle>Time off and holidays</PageTitle>
      <Tabs
        value={search.tab ?? 'time-off'}
        onChange={(t) =>
          void navigate({ search: { tab: (t ?? 'time-off') as (typeof CALENDAR_TABS)[number] } })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="time-off">Time off</Tabs.Tab>
          <Tabs.Tab value="holidays">Holidays</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="time-off">
          <TimeOffTab />
        </Tabs.Panel>
        <Tabs.Panel value="holidays">
          <HolidaysTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
