import type { TPersonView } from '@clockpilot/contracts/directory';
import { can } from '@clockpilot/contracts/permissions';
import type { THoliday, TTimeOff } from '@clockpilot/contracts/planning';
import { Tabs, TextInput } from '@mantine/core';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { dateText, percentText } from '../../app/format';
import { t } from '../../app/i18n';
import { RemoteSelect, useNames } from '../../app/remote-select';
import { PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { CrudTab } from './CrudTab';
import { DateRange } from './DateRange';
import { HolidayForm, TimeOffForm } from './forms';
import type { CALENDAR_TABS } from './routes';

export const Route = createLazyRoute('/_app/_planning/planning/calendar')({ component: CalendarPage });

const PEOPLE = '/api/v1/people';

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
    f === 1
      ? t('planning.fullDays')
      : f === 0.5
        ? t('planning.halfDays')
        : t('planning.shareOfDay', { percent: percentText(f) });
  return (
    <CrudTab
      resource="time-off"
      sorts={['startDate'] as const}
      params={{ personId, from, to }}
      filters={
        <>
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
          <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        </>
      }
      columns={[
        {
          key: 'person',
          header: t('planning.person'),
          render: (o: TTimeOff) => <PersonName id={o.personId} />,
        },
        {
          key: 'start',
          header: t('planning.firstDay'),
          sortKey: 'startDate',
          render: (o: TTimeOff) => dateText(o.startDate),
        },
        { key: 'end', header: t('planning.lastDay'), render: (o: TTimeOff) => dateText(o.endDate) },
        { key: 'fraction', header: t('planning.off'), render: (o: TTimeOff) => fraction(o.dayFraction) },
        { key: 'note', header: t('planning.note'), render: (o: TTimeOff) => o.note ?? '' },
      ]}
      Form={TimeOffForm}
      describe={(o) =>
        t('planning.timeOffDescribe', { from: dateText(o.startDate), to: dateText(o.endDate) })
      }
      empty={{ title: t('planning.noTimeOff'), hint: t('planning.noTimeOffHint') }}
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
      sorts={['date'] as const}
      params={{ from, to, region: region.trim() }}
      filters={
        <>
          <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
          <TextInput
            label={t('planning.region')}
            value={region}
            onChange={(e) => setRegion(e.currentTarget.value)}
            w={140}
          />
        </>
      }
      columns={[
        {
          key: 'date',
          header: t('planning.date'),
          sortKey: 'date',
          render: (h: THoliday) => dateText(h.date),
        },
        { key: 'name', header: t('planning.name'), render: (h: THoliday) => h.name },
        {
          key: 'region',
          header: t('planning.region'),
          render: (h: THoliday) => h.region ?? t('planning.wholeCompany'),
        },
      ]}
      Form={HolidayForm}
      describe={(h) => `${h.name} (${dateText(h.date)})`}
      empty={{ title: t('planning.noHolidays'), hint: t('planning.noHolidaysHint') }}
    />
  );
}

export function CalendarPage() {
  const search = useSearch({ from: '/_app/_planning/planning/calendar' });
  const navigate = useNavigate({ from: '/planning/calendar' });
  return (
    <>
      <PageTitle>{t('planning.calendar')}</PageTitle>
      <Tabs
        value={search.tab ?? 'time-off'}
        onChange={(tab) =>
          void navigate({ search: { tab: (tab ?? 'time-off') as (typeof CALENDAR_TABS)[number] } })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="time-off">{t('planning.timeOff')}</Tabs.Tab>
          <Tabs.Tab value="holidays">{t('planning.holidays')}</Tabs.Tab>
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
