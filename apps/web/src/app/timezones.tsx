import { Select, type SelectProps } from '@mantine/core';
import { t } from './i18n';

/** Every IANA zone the browser knows, for time-zone pickers; UTC first. */
export const TIME_ZONES: string[] = (() => {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
})();

/** A searchable picker of every zone in `TIME_ZONES`, for a Mantine form field. */
export function TimeZoneSelect(props: Omit<SelectProps, 'data'>) {
  return (
    <Select
      label={t('profile.timeZone')}
      data={TIME_ZONES}
      searchable
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
      {...props}
    />
  );
}
