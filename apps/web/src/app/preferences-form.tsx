import { Group, Select } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { changePreferences } from './account-preferences';
import { errorMessage } from './api';
import { timeOfDay } from './format';
import { type MessageKey, t } from './i18n';
import {
  LANGUAGES,
  type Language,
  type Preferences,
  resolveFirstDay,
  resolveLanguage,
  usePreferences,
} from './preferences';

const LANGUAGE_NAME: Record<Language, MessageKey> = { en: 'prefs.language.en', de: 'prefs.language.de' };
const DAY_NAME: Record<1 | 6 | 7, MessageKey> = {
  1: 'prefs.firstDay.1',
  6: 'prefs.firstDay.6',
  7: 'prefs.firstDay.7',
};

/** Saves a change with the account; it applies here at once either way. */
const change = (p: Partial<Preferences>) =>
  changePreferences(p).catch((e) =>
    notifications.show({ color: 'red', title: t('prefs.notSaved'), message: errorMessage(e) }),
  );

/** Language, clock, first day of the week and duration style; applied at once, kept with the account. */
export function PreferencesForm() {
  const prefs = usePreferences();
  const auto = { ...prefs, language: 'auto' as const };
  // The automatic choices name what they resolve to, so "As the language" is not a riddle.
  const clockExample = timeOfDay(new Date(Date.UTC(2026, 0, 1, 17, 30)), 'UTC', 'auto');
  const select = (
    label: MessageKey,
    value: string,
    data: Array<{ value: string; label: string }>,
    onChange: (v: string) => void,
  ) => (
    <Select
      label={t(label)}
      data={data}
      value={value}
      allowDeselect={false}
      w={240}
      comboboxProps={{ withinPortal: true }}
      onChange={(v) => v && onChange(v)}
    />
  );
  return (
    <Group gap="md" align="flex-end" wrap="wrap">
      {select(
        'prefs.language',
        prefs.language,
        [
          {
            value: 'auto',
            label: t('prefs.language.auto', { language: t(LANGUAGE_NAME[resolveLanguage(auto)]) }),
          },
          ...LANGUAGES.map((l) => ({ value: l, label: t(LANGUAGE_NAME[l]) })),
        ],
        (v) => change({ language: v as Preferences['language'] }),
      )}
      {select(
        'prefs.clock',
        prefs.hourCycle,
        [
          { value: 'auto', label: t('prefs.clock.auto', { example: clockExample }) },
          { value: 'h23', label: t('prefs.clock.h23') },
          { value: 'h12', label: t('prefs.clock.h12') },
        ],
        (v) => change({ hourCycle: v as Preferences['hourCycle'] }),
      )}
      {select(
        'prefs.firstDay',
        String(prefs.firstDayOfWeek),
        [
          {
            value: 'auto',
            label: t('prefs.firstDay.auto', {
              day: t(DAY_NAME[resolveFirstDay({ ...prefs, firstDayOfWeek: 'auto' })]),
            }),
          },
          ...([1, 6, 7] as const).map((d) => ({ value: String(d), label: t(DAY_NAME[d]) })),
        ],
        (v) => change({ firstDayOfWeek: v === 'auto' ? 'auto' : (Number(v) as 1 | 6 | 7) }),
      )}
      {select(
        'prefs.duration',
        prefs.durationStyle,
        [
          { value: 'units', label: t('prefs.duration.units') },
          { value: 'clock', label: t('prefs.duration.clock') },
        ],
        (v) => change({ durationStyle: v as Preferences['durationStyle'] }),
      )}
    </Group>
  );
}
