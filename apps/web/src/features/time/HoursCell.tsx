import { Table } from '@mantine/core';
import { hoursMinutes } from './format';

/** A table cell holding a duration as hours and minutes, right-aligned in tabular figures. */
export function HoursCell({ seconds, bold }: { seconds: number; bold?: boolean }) {
  return (
    <Table.Td ta="right" className="tabular" fw={bold ? 700 : undefined}>
      {hoursMinutes(seconds)}
    </Table.Td>
  );
}
