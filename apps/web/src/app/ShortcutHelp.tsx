import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { type MessageKey, t } from './i18n';
import { setShortcutHelp, useShortcutState } from './shortcuts';

/** The list of shortcuts in force, opened with `?`; a lazy chunk of its own. */
export default function ShortcutHelp() {
  const { shortcuts, helpOpen } = useShortcutState();
  return (
    <Modal opened={helpOpen} onClose={() => setShortcutHelp(false)} title={t('keys.title')} size="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('keys.intro')}
        </Text>
        <Table verticalSpacing={6} data-testid="shortcut-list">
          <Table.Tbody>
            {[{ keys: '?', label: 'keys.help' as MessageKey }, ...shortcuts].map((s) => (
              <Table.Tr key={s.keys}>
                <Table.Td w={120}>
                  <Group gap={4} wrap="nowrap">
                    {s.keys.split(' ').map((k, i) => (
                      <Group key={k + String(i)} gap={4} wrap="nowrap">
                        {i > 0 && (
                          <Text size="xs" c="dimmed">
                            {t('keys.then')}
                          </Text>
                        )}
                        <Kbd>{k}</Kbd>
                      </Group>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{t(s.label)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}
