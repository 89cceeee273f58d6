import type { TTimeEntry } from '@clockpilot/contracts/time';
import { Badge, Table } from '@mantine/core';
import { t } from '../../app/i18n';
import { hm, timeOfDay } from './format';

// The cells an entry row shows alike in My time and in the reviewer's list of a week's entries.

/** `09:00–12:30`, or `09:00–now` with a running badge; hand-made entries say so. */
export function EntrySpan({ e, timeZone }: { e: TTimeEntry; timeZone: string }) {
  return (
    <>
      {timeOfDay(e.startedAt, timeZone)}–{e.endedAt ? timeOfDay(e.endedAt, timeZone) : t('mytime.now')}{' '}
      {e.source === 'manual' && (
        <Badge size="xs" variant="light" color="gray">
          {t('mytime.manual')}
        </Badge>
      )}
      {!e.endedAt && (
        <Badge size="xs" variant="light" color="green">
          {t('mytime.running')}
        </Badge>
      )}
    </>
  );
}

/** The headers of the two figures every entry row ends with. */
export function EntryTotalsHead() {
  return (
    <>
      <Table.Th ta="right">{t('mytime.breaks')}</Table.Th>
      <Table.Th ta="right">{t('mytime.worked')}</Table.Th>
    </>
  );
}

/** An entry row's break and worked time, right-aligned; no break reads as a dash. */
export function EntryTotals({ e }: { e: TTimeEntry }) {
  return (
    <>
      <Table.Td ta="right" className="tabular">
        {e.breakSeconds > 0 ? hm(e.breakSeconds) : '—'}
      </Table.Td>
      <Table.Td ta="right" className="tabular">
        {hm(e.workedSeconds)}
      </Table.Td>
    </>
  );
}
