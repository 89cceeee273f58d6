import { type MantineColorScheme, SegmentedControl, useMantineColorScheme } from '@mantine/core';
import { type MessageKey, t } from './i18n';

const CHOICES: Array<{ value: MantineColorScheme; label: MessageKey }> = [
  { value: 'auto', label: 'prefs.appearance.auto' },
  { value: 'light', label: 'prefs.appearance.light' },
  { value: 'dark', label: 'prefs.appearance.dark' },
];

/** Light, dark, or following the device's setting (the default); kept in this browser. */
export function AppearanceSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      aria-label={t('prefs.appearance')}
      data={CHOICES.map((c) => ({ value: c.value, label: t(c.label) }))}
      value={colorScheme}
      onChange={(v) => setColorScheme(v as MantineColorScheme)}
    />
  );
}
