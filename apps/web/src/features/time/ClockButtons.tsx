import type { TClockStatus } from '@clockpilot/contracts/time';
import { Button, SimpleGrid } from '@mantine/core';
import { type Icon, IconCoffee, IconLogin2, IconLogout2, IconPlayerPlay } from '@tabler/icons-react';
import { type MessageKey, t } from '../../app/i18n';
import type { ClockAction } from './api';

type ClockButton = { action: ClockAction; label: MessageKey; color: string; light?: boolean; icon: Icon };

/** What a person can do in each state; the main step of each state is the filled button. */
const BUTTONS: Record<TClockStatus['state'], ClockButton[]> = {
  out: [{ action: 'in', label: 'clock.in', color: 'green', icon: IconLogin2 }],
  in: [
    { action: 'breakStart', label: 'clock.breakStart', color: 'orange', light: true, icon: IconCoffee },
    { action: 'out', label: 'clock.out', color: 'red', icon: IconLogout2 },
  ],
  break: [
    { action: 'breakEnd', label: 'clock.breakEnd', color: 'green', icon: IconPlayerPlay },
    { action: 'out', label: 'clock.out', color: 'red', light: true, icon: IconLogout2 },
  ],
};

/** The large clock in / break / clock out buttons; while one runs, the others wait. */
export function ClockButtons({
  state,
  running,
  onAction,
}: {
  state: TClockStatus['state'];
  /** The action under way, if any. */
  running: ClockAction | null;
  onAction: (action: ClockAction) => void;
}) {
  const buttons = BUTTONS[state];
  return (
    <SimpleGrid cols={{ base: 1, xs: buttons.length }}>
      {buttons.map(({ action, label, color, light, icon: ButtonIcon }) => (
        <Button
          key={action}
          size="xl"
          h={72}
          fullWidth
          color={color}
          variant={light ? 'light' : 'filled'}
          leftSection={<ButtonIcon aria-hidden />}
          loading={running === action}
          disabled={running !== null}
          onClick={() => onAction(action)}
        >
          {t(label)}
        </Button>
      ))}
    </SimpleGrid>
  );
}
