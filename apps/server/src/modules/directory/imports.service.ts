import {
  can,
  type TImportPersonRow,
  type TImportProjectRow,
  type TPerson,
  type TProject,
  type TRole,
} from '@clockpilot/contracts';
import { type Actor, type AuditRecord, recordAudits } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { managedPeople } from './directory.policy';
import { peopleRepo, projectsRepo } from './directory.repo';
import type { PersonRow, ProjectRow, people, projects } from './directory.tables';
import { changes, toPerson, toProject } from './directory.writes';
import { importsRepo } from './imports.repo';

/** What became of one imported row: written (or found as it was), or refused with the field at fault. */
export type ImportOutcome =
  | { row: number; outcome: 'created' | 'updated' | 'unchanged'; id: string }
  | { row: number; error: { field: string; message: string } };

export type ImportedProject = Omit<TImportProjectRow, `deliverable${string}`>;

const key = (s: string | null | undefined) => s?.toLowerCase();
const byKey = <R>(rows: R[], of: (r: R) => string | null | undefined) => {
  const map = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(of(r));
    if (k) map.set(k, [...(map.get(k) ?? []), r]);
  }
  return map;
};
const refused = (row: number, field: string, message: string): ImportOutcome => ({
  row,
  error: { field, message },
});

/**
 * Bulk upserts for imports, in the caller's transaction: people by employee number or email,
 * projects by code (clients found or created by name). Each row is audited like a single write.
 * The caller makes sure a key appears once per file.
 */
export function createImportsService(ctx: AppContext) {
  const { clock } = ctx;

  async function importPeople(
    tx: Tx,
    by: { role: TRole; actor: Actor },
    rows: Array<{ row: number; data: TImportPersonRow }>,
  ): Promise<ImportOutcome[]> {
    const existing = await importsRepo.peopleByKeys(tx, {
      emails: rows.flatMap((r) => r.data.email ?? []),
      employeeNumbers: rows.flatMap((r) => r.data.employeeNumber ?? []),
    });
    const byNumber = byKey(existing, (p) => p.employeeNumber);
    const byEmail = byKey(existing, (p) => p.email);
    const teams = byKey(
      await importsRepo.teamsByNames(
        tx,
        rows.flatMap((r) => r.data.team ?? []),
      ),
      (t) => t.name,
    );
    const mayAssign = can(by.role, 'directory:assign');
    // Object scope as on PATCH /people/:id: a manager's file changes only the people they manage.
    const manages = await managedPeople(tx, by.role, by.actor.userId);
    const now = clock.now();
    const out: ImportOutcome[] = [];
    const inserts: Array<{ row: number; values: typeof people.$inferInsert }> = [];
    const audits: AuditRecord[] = [];
    for (const { row, data } of rows) {
      const { team, ...fields } = data;
      const numbered = byNumber.get(key(fields.employeeNumber)!)?.[0];
      const mailed = byEmail.get(key(fields.email)!) ?? [];
      if (numbered && mailed.length && !mailed.includes(numbered)) {
        out.push(refused(row, 'email', 'This email belongs to another person than this employee number'));
        continue;
      }
      if (!numbered && mailed.length > 1) {
        out.push(refused(row, 'email', 'Several people have this email; add their employee number'));
        continue;
      }
      const before = numbered ?? mailed[0];
      const teamId = team === undefined ? undefined : teams.get(key(team)!)?.[0]?.id;
      if (team !== undefined && !teamId) {
        out.push(refused(row, 'team', `No team is called "${team}"`));
        continue;
      }
      if (teamId !== undefined && teamId !== (before?.teamId ?? null) && !mayAssign) {
        out.push(refused(row, 'team', 'Only administrators change teams'));
        continue;
      }
      const values = { ...fields, ...(teamId === undefined ? {} : { teamId }) };
      if (!before) {
        inserts.push({
          row,
          values: {
            ...values,
            weeklyCapacity: values.weeklyCapacity ?? values.weeklyHours,
            createdAt: now,
            updatedAt: now,
          },
        });
        continue;
      }
      const diff = changes<PersonRow>(before, {
        ...values,
        // Capacity follows the contracted hours unless it was set apart from them (as on the API).
        weeklyCapacity:
          values.weeklyCapacity ??
          (values.weeklyHours !== undefined && before.weeklyCapacity === before.weeklyHours
            ? values.weeklyHours
            : undefined),
      });
      if (Object.keys(diff).length === 0) {
        out.push({ row, outcome: 'unchanged', id: before.id });
        continue;
      }
      if (manages && !manages.has(before.id)) {
        out.push(
          refused(row, numbered ? 'employeeNumber' : 'email', 'You may change only the people you manage'),
        );
        continue;
      }
      const after = await peopleRepo.update(tx, before.id, { ...diff, updatedAt: now });
      audits.push({ action: 'person.updated', entityType: 'person', entityId: after.id, before, after });
      out.push({ row, outcome: 'updated', id: after.id });
    }
    const created = await importsRepo.insertPeople(
      tx,
      inserts.map((i) => i.values),
    );
    created.forEach((p, i) => {
      audits.push({ action: 'person.created', entityType: 'person', entityId: p.id, after: p });
      out.push({ row: inserts[i]!.row, outcome: 'created', id: p.id });
    });
    await recordAudits(tx, by.actor, audits);
    return out.sort((a, b) => a.row - b.row);
  }

  /** Projects by code, one row per code; a new project needs a name and a client (found or created by name). */
  async function importProjects(
    tx: Tx,
    actor: Actor,
    rows: Array<{ row: number; data: ImportedProject }>,
  ): Promise<ImportOutcome[]> {
    const existing = byKey(
      await importsRepo.projectsByCodes(
        tx,
        rows.map((r) => r.data.code),
      ),
      (p) => p.code,
    );
    const names = rows.flatMap((r) => r.data.client ?? []);
    const clients = byKey(await importsRepo.clientsByNames(tx, names), (c) => c.name);
    const now = clock.now();
    const missing = [
      ...new Map(names.filter((n) => !clients.has(key(n)!)).map((n) => [key(n)!, n])).values(),
    ];
    const audits: AuditRecord[] = [];
    for (const c of await importsRepo.insertClients(
      tx,
      missing.map((name) => ({ name, createdAt: now, updatedAt: now })),
    )) {
      clients.set(key(c.name)!, [c]);
      audits.push({ action: 'client.created', entityType: 'client', entityId: c.id, after: c });
    }
    const out: ImportOutcome[] = [];
    const inserts: Array<{ row: number; values: typeof projects.$inferInsert }> = [];
    for (const { row, data } of rows) {
      const { client, ...fields } = data;
      const clientId = client === undefined ? undefined : clients.get(key(client)!)![0]!.id;
      const before: ProjectRow | undefined = existing.get(key(fields.code)!)?.[0];
      if (!before) {
        if (!fields.name) out.push(refused(row, 'name', 'A new project needs a name'));
        else if (!clientId) out.push(refused(row, 'client', 'A new project needs a client'));
        else
          inserts.push({
            row,
            values: { ...fields, name: fields.name, clientId, createdAt: now, updatedAt: now },
          });
        continue;
      }
      // The code identifies the row; a different spelling of its case is not a change.
      const diff = changes<ProjectRow>(before, { ...fields, code: undefined, clientId });
      if (Object.keys(diff).length === 0) {
        out.push({ row, outcome: 'unchanged', id: before.id });
        continue;
      }
      const after = await projectsRepo.update(tx, before.id, { ...diff, updatedAt: now });
      audits.push({ action: 'project.updated', entityType: 'project', entityId: after.id, before, after });
      out.push({ row, outcome: 'updated', id: after.id });
    }
    const created = await importsRepo.insertProjects(
      tx,
      inserts.map((i) => i.values),
    );
    created.forEach((p, i) => {
      audits.push({ action: 'project.created', entityType: 'project', entityId: p.id, after: p });
      out.push({ row: inserts[i]!.row, outcome: 'created', id: p.id });
    });
    await recordAudits(tx, actor, audits);
    return out.sort((a, b) => a.row - b.row);
  }

  return {
    importPeople,
    importProjects,
    /** People by employee number or email, read in the caller's transaction (an import's lookups). */
    async peopleByKeys(tx: Tx, keys: { emails: string[]; employeeNumbers: string[] }): Promise<TPerson[]> {
      return (await importsRepo.peopleByKeys(tx, keys)).map(toPerson);
    },
    async projectsByCodes(tx: Tx, codes: string[]): Promise<TProject[]> {
      return (await importsRepo.projectsByCodes(tx, codes)).map(toProject);
    },
  };
}
