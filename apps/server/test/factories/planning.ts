import type {
  TAssignment,
  TAssignmentCreate,
  TDeliverable,
  TDeliverableCreate,
  TWeeklyHoursItem,
} from '@clockpilot/contracts';
import type { Actor } from '../../src/platform/audit';
import type { Principal } from '../../src/platform/auth';
import { moduleServices, type WithServices } from '../helpers';

export const ACTOR: Actor = { userId: null, label: 'test' };
export const SYSTEM: Principal = {
  userId: '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  scopes: ['read', 'write'],
};

let seq = 0;

export async function createDeliverable(
  t: WithServices,
  input: Partial<TDeliverableCreate> & { projectId: string },
): Promise<TDeliverable> {
  return moduleServices(t, 'planning').deliverables.create(SYSTEM, ACTOR, {
    name: `Deliverable ${++seq}`,
    dueDate: '2027-01-29',
    ...input,
  });
}

/** An assignment with the given weeks of hours. */
export async function createAssignment(
  t: WithServices,
  input: TAssignmentCreate,
  hours: TWeeklyHoursItem[] = [],
): Promise<TAssignment> {
  const planning = moduleServices(t, 'planning');
  const a = await planning.assignments.create(SYSTEM, ACTOR, input);
  if (hours.length === 0) return a;
  await planning.assignments.putHours(
    SYSTEM,
    ACTOR,
    a.id,
    {},
    { version: a.hoursVersion, items: hours },
    undefined,
  );
  return planning.assignments.get(SYSTEM, a.id);
}
