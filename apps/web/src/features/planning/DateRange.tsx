import { TextInput } from '@mantine/core';
import { type MessageKey, t } from '../../app/i18n';

/** Two date filters, from and until (inclusive); `labels` names them for what the dates are. */
export function DateRange({
  from,
  to,
  onFrom,
  onTo,
  labels = ['planning.from', 'planning.until'],
}: {
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
  labels?: [MessageKey, MessageKey];
}) {
  return (
    <>
      <TextInput
        label={t(labels[0])}
        type="date"
        value={from}
        onChange={(e) => onFrom(e.currentTarget.value)}
      />
      <TextInput label={t(labels[1])} type="date" value={to} onChange={(e) => onTo(e.currentTarget.value)} />
    </>
  );
}
