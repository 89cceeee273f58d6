import type { TDeliverable, TReallocation } from '@clockpilot/contracts/planning';
import { Alert, Button, Checkbox, Group, List, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { useNames } from '../../app/remote-select';
import { useUndoReallocation } from './api';
import { formatHours } from './grid';

/** What a reallocation did, in the words of the plan: who, which weeks, how many hours. */
function Summary({ r }: { r: TReallocation }) {
  const people = useNames('/api/v1/people', [
    ...r.assignments.map((a) => a.personId),
    ...r.overAllocations.map((o) => o.personId),
  ]);
  const who = (personId: string | null, placeholder: string | null) =>
    personId ? (people.get(personId) ?? '…') : `${placeholder} (open role)`;
  const moved = r.assignments.filter((a) => a.moves.length > 0);
  return (
    <Stack gap="xs" data-testid="reallocation-summary">
      <Text size="sm">
        Due date {r.oldDueDate} → {r.newDueDate} ({r.shiftWeeks >= 0 ? '+' : ''}
        {r.shiftWeeks} weeks).
      </Text>
      {!r.applied ? (
        <Alert color="gray">No hours were moved: {r.reason}</Alert>
      ) : moved.length === 0 ? (
        <Text size="sm">The hours already fit; nothing had to move.</Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Who</Table.Th>
                <Table.Th scope="col">Moved</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {moved.map((a) => (
                <Table.Tr key={a.assignmentId}>
                  <Table.Td>{who(a.personId, a.placeholder)}</Table.Td>
                  <Table.Td>
                    {a.moves.map((m) => `${formatHours(m.hours)} h ${m.from} → ${m.to}`).join(', ')}
                    {a.unplacedHours > 0 && (
                      <Text size="xs" c="red">
                        {formatHours(a.unplacedHours)} h found no free capacity
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
        <Alert color="orange" title="Still over capacity">
          <List size="sm">
            {r.overAllocations.map((o) => (
              <List.Item key={`${o.personId}${o.week}`}>
                {who(o.personId, null)}, {o.week}: {formatHours(o.hoursOver)} h over
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
            message: `Reallocation undone: ${res.restoredAssignments} assignment(s) restored${
              revertDate ? `, due date back to ${res.deliverable.dueDate}` : ''
            }`,
          });
          close();
        },
        onError: (e) => {
          if (isApiError(e) && e.status === 409 && Array.isArray(e.problem.changedWeeks))
            setConflict(e.detail);
          else notifications.show({ color: 'red', title: 'Not undone', message: errorMessage(e) });
        },
      },
    );
  };
  const canUndo = reallocation === null || reallocation.applied;
  return (
    <Modal
      opened={deliverable !== null}
      onClose={close}
      title={reallocation ? 'Hours reallocated' : 'Undo the last reallocation'}
      size="lg"
    >
      {deliverable && (
        <Stack gap="md">
          {reallocation ? (
            <Summary r={reallocation} />
          ) : (
            <Text size="sm">
              Puts the hours of {deliverable.name} back where they were before its due date last moved.
            </Text>
          )}
          {canUndo && (
            <Checkbox
              label="Also put the due date back"
              checked={revertDate}
              onChange={(e) => setRevertDate(e.currentTarget.checked)}
            />
          )}
          {conflict && (
            <Alert color="orange" title="Hours were edited since" role="alert">
              {conflict}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {reallocation ? 'Keep' : 'Cancel'}
            </Button>
            {canUndo &&
              (conflict ? (
                <Button color="orange" loading={undo.isPending} onClick={() => run(true)}>
                  Undo and overwrite the edits
                </Button>
              ) : (
                <Button loading={undo.isPending} onClick={() => run(false)}>
                  Undo
                </Button>
              ))}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
