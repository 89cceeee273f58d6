import { can } from '@clockpilot/contracts/permissions';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { errorMessage } from '../../app/api';
import { t } from '../../app/i18n';
import { useShortcuts } from '../../app/shortcuts';
import { useAuth } from '../../app/useAuth';
import { clockStatusQuery, useClockAction } from './api';

/**
 * The time module's shortcuts on every page: `c` clocks in or out (Home replaces it with one that
 * keeps the timer's project and note), `n` opens a new entry in My time.
 */
export function TimeShortcuts() {
  const { user } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const clock = useClockAction();
  const allowed = user !== null && can(user.role, 'time:track');

  async function toggleClock() {
    try {
      const status = await qc.fetchQuery({ ...clockStatusQuery, staleTime: 0 });
      const action = status.state === 'out' ? 'in' : 'out';
      await clock.mutateAsync({ action });
      notifications.show({ color: 'green', message: t(action === 'in' ? 'home.done.in' : 'home.done.out') });
    } catch (e) {
      notifications.show({ color: 'red', title: t('home.failed'), message: errorMessage(e) });
    }
  }

  useShortcuts(
    allowed
      ? [
          { keys: 'c', label: 'keys.clock', run: () => void toggleClock() },
          {
            keys: 'n',
            label: 'keys.newEntry',
            run: () => void navigate({ to: '/time', search: { new: true } }),
          },
        ]
      : [],
  );
  return null;
}
