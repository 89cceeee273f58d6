import { type MantineColorScheme, SegmentedControl, useMantineColorScheme } from '@mantine/core';

const CHOICES: Array<{ value: MantineColorScheme; label: string }> = [
  { value: 'auto', label: 'As the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Light, dark, or following the device's setting (the default); kept in this browser. */
export function AppearanceSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      aria-label="Appearance"
      data={CHOICES}
      value={colorScheme}
      onChange={(v) => setColorScheme(v as MantineColorScheme)}
    />
  );
}
