import type { TDeliverable, TReallocation } from '@clockpilot/contracts/planning';
import { Alert, Button, Checkbox, Group, List, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { dateText } from '../../app/format';
import { t, tn } from '../../app/i18n';
import { useNames } from '../../app/remote-select';
import { useUndoReallocation } from './api';
import { formatHours } from './grid';
import { openRole } from './text';

/** What a reallocation did, in the words of the plan: who, which weeks, how many hours. */
function Summary({ r }: { r: TReallocation }) {
  const people = useNames('/api/v1/people', [
    ...r.assignments.map((a) => a.personId),
    ...r.overAllocations.map((o) => o.personId),
  ]);
  const who = (personId: string | null, placeholder: string | null) =>
    personId ? (people.get(personId) ?? '…') : openRole(placeholder);
  const moved = r.assignments.filter((a) => a.moves.length > 0);
  return (
    <Stack gap="xs" data-testid="reallocation-summary">
      <Text size="sm">
        {t('planning.dueMoved', {
          from: dateText(r.oldDueDate),
          to: dateText(r.newDueDate),
          shift: `${r.shiftWeeks >= 0 ? '+' : '−'}${tn('planning.weeks', Math.abs(r.shiftWeeks))}`,
        })}
      </Text>
      {!r.applied ? (
        <Alert color="gray">{t('planning.nothingMoved', { reason: r.reason ?? '' })}</Alert>
      ) : moved.length === 0 ? (
        <Text size="sm">{t('planning.alreadyFit')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('planning.who')}</Table.Th>
                <Table.Th scope="col">{t('planning.moved')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {moved.map((a) => (
                <Table.Tr key={a.assignmentId}>
                  <Table.Td>{who(a.personId, a.placeholder)}</Table.Td>
                  <Table.Td>
                    {a.moves
                      .map((m) => t('planning.move', { hours: formatHours(m.hours), from: m.from, to: m.to }))
                      .join(', ')}
                    {a.unplacedHours > 0 && (
                      <Text size="xs" c="red">
                        {t('planning.unplaced', { hours: formatHours(a.unplacedHours) })}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {r.overAllocations.length > 0 && (
        <Alert color="orange" title={t('planning.stillOver')}>
          <List size="sm">
            {r.overAllocations.map((o) => (
              <List.Item key={`${o.personId}${o.week}`}>
                {t('planning.overBy', {
                  who: who(o.personId, null),
                  week: o.week,
                  hours: formatHours(o.hoursOver),
                })}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * After a due date moved: the reallocation summary and its Undo. Without a summary (opened from the
 * list) it only offers to undo the last reallocation. An undo over hours edited since says which
 * weeks and offers to overwrite them.
 */
export function ReallocationDialog({
  deliverable,
  reallocation,
  onClose,
}: {
  deliverable: TDeliverable | null;
  reallocation: TReallocation | null;
  onClose: () => void;
}) {
  const undo = useUndoReallocation();
  const [revertDate, setRevertDate] = useState(true);
  const [conflict, setConflict] = useState<string | null>(null);
  const close = () => {
    setConflict(null);
    undo.reset();
    onClose();
  };
  const run = (force: boolean) => {
    if (!deliverable) return;
    undo.mutate(
      { id: deliverable.id, revertDate, force },
      {
        onSuccess: (res) => {
          notifications.show({
            color: 'green',
            message: revertDate
              ? t('planning.undoneWithDate', {
                  restored: tn('planning.restored', res.restoredAssignments),
                  date: dateText(res.deliverable.dueDate),
                })
              : t('planning.undone', { restored: tn('planning.restored', res.restoredAssignments) }),
          });
          close();
        },
        onError: (e) => {
          if (isApiError(e) && e.status === 409 && Array.isArray(e.problem.changedWeeks))
            setConflict(e.detail);
          else notifications.show({ color: 'red', title: t('planning.notUndone'), message: errorMessage(e) });
        },
      },
    );
  };
  const canUndo = reallocation === null || reallocation.applied;
  return (
    <Modal
      opened={deliverable !== null}
      onClose={close}
      title={t(reallocation ? 'planning.reallocated' : 'planning.undoLast')}
      size="lg"
    >
      {deliverable && (
        <Stack gap="md">
          {reallocation ? (
            <Summary r={reallocation} />
          ) : (
            <Text size="sm">{t('planning.undoExplain', { name: deliverable.name })}</Text>
          )}
          {canUndo && (
            <Checkbox
              label={t('planning.revertDate')}
              checked={revertDate}
              onChange={(e) => setRevertDate(e.currentTarget.checked)}
            />
          )}
          {conflict && (
            <Alert color="orange" title={t('planning.editedSince')} role="alert">
              {conflict}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t(reallocation ? 'planning.keep' : 'ui.cancel')}
            </Button>
            {canUndo &&
              (conflict ? (
                <Button color="orange" loading={undo.isPending} onClick={() => run(true)}>
                  {t('planning.undoOverwrite')}
                </Button>
              ) : (
                <Button loading={undo.isPending} onClick={() => run(false)}>
                  {t('planning.undo')}
                </Button>
              ))}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
