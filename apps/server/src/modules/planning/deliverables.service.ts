import type {
  TDeliverable,
  TDeliverableCreate,
  TDeliverableListQuery,
  TDeliverableUpdate,
  TDeliverableUpdated,
  TPage,
} from '@clockpilot/contracts';
import { ZDeliverableCreate } from '@clockpilot/contracts';
import { type Actor, recordAudit, SerialisedJson } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { notFound, unprocessable } from '../../platform/errors';
import type { PlanningMetrics } from './planning.metrics';
import { type PlanningPolicy, toDeliverable } from './planning.policy';
import { planningRepo } from './planning.repo';
import type { ReallocationService } from './reallocation.service';

const ENTITY = 'planning_deliverable';

/** Deliverables of the directory's projects; a due-date change moves the linked hours. */
export function createDeliverablesService(
  ctx: AppContext,
  policy: PlanningPolicy,
  realloc: ReallocationService,
  metrics: PlanningMetrics,
) {
  const { db, clock } = ctx;

  async function assertProject(projectId: string) {
    if (!(await policy.directory().getProject(projectId)))
      throw unprocessable('body.projectId', 'No such project');
  }

  return {
    async list(q: TDeliverableListQuery): Promise<TPage<TDeliverable>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      const page = await planningRepo.deliverablePage(db, filter, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toDeliverable) };
    },

    async get(id: string): Promise<TDeliverable> {
      const row = await planningRepo.deliverable(db, id);
      if (!row) throw notFound('Deliverable');
      return toDeliverable(row);
    },

    async create(principal: Principal, actor: Actor, input: TDeliverableCreate): Promise<TDeliverable> {
      policy.assertManages(principal);
      const data = ZDeliverableCreate.parse(input);
      await assertProject(data.projectId);
      return policy.write(async (tx) => {
        const row = await planningRepo.insertDeliverable(tx, {
          ...data,
          description: data.description ?? null,
          startDate: data.startDate ?? null,
        });
        await recordAudit(tx, actor, {
          action: 'planning.deliverable.created',
          entityType: ENTITY,
          entityId: row.id,
          after: row,
        });
        return toDeliverable(row);
      });
    },

    /**
     * With a new due date, the linked hours move in the same transaction (unless switched off). The
     * answer comes as JSON text too, made from the one serialisation of the deliverable and of the
     * reallocation summary that its audit record is made of.
     */
    async update(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: TDeliverableUpdate,
    ): Promise<{ updated: TDeliverableUpdated; json: string }> {
      policy.assertManages(principal);
      const people = patch.dueDate !== undefined ? await realloc.peopleOf(id) : new Map();
      const answer = await policy.write(async (tx) => {
        const before = await planningRepo.deliverable(tx, id, true);
        if (!before) throw notFound('Deliverable');
        const moved = patch.dueDate !== undefined && patch.dueDate !== before.dueDate;
        const after = await planningRepo.updateDeliverable(tx, id, { ...patch, updatedAt: clock.now() });
        const moves = moved ? await realloc.run(tx, actor, before, after.dueDate, people) : null;
        const deliverable = toDeliverable(after);
        // The row's fields and values are the answer's, so one text serves the audit record and the answer.
        const json = `${JSON.stringify(deliverable).slice(0, -1)},"reallocation":${moves?.json ?? 'null'}}`;
        await recordAudit(
          tx,
          actor,
          {
            action: 'planning.deliverable.updated',
            entityType: ENTITY,
            entityId: id,
            before,
            after: moves ? new SerialisedJson(json) : after,
          },
          moves?.record,
        );
        return { updated: { ...deliverable, reallocation: moves?.summary ?? null }, json };
      });
      // Counted once committed, so a rolled-back change is not counted.
      if (answer.updated.reallocation?.applied) metrics.reallocations.inc();
      return answer;
    },

    /** Its assignments stay on the project, unlinked. */
    async remove(principal: Principal, actor: Actor, id: string): Promise<void> {
      policy.assertManages(principal);
      await policy.write(async (tx) => {
        const before = await planningRepo.deliverable(tx, id, true);
        if (!before) throw notFound('Deliverable');
        await planningRepo.deleteDeliverable(tx, id);
        await recordAudit(tx, actor, {
          action: 'planning.deliverable.deleted',
          entityType: ENTITY,
          entityId: id,
          before,
        });
      });
    },
  };
}
