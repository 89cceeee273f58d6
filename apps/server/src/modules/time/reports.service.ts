import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TPresence, TTimeExportQuery, TTimeReport, TTimeReportQuery } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError, forbidden } from '../../platform/errors';
import { CSV_HEADER, cursorCsv, cursorXlsx } from './export.streams';
import { type ExportNames, reportsRepo } from './reports.repo';
import { rollupRepo } from './rollup.repo';
import type { TimeMetrics } from './time.metrics';
import type { TimePolicy } from './time.policy';
import type { EntryFilter } from './time.repo';
import { timesheetsRepo } from './timesheets.repo';

const MAX_RANGE_DAYS = 400;
const hours = (seconds: number) => Math.round(seconds / 36) / 100;

export type ReportsService = ReturnType<typeof createReportsService>;

/** Summaries, streamed exports and presence: read-only views over the scope the caller may see. */
export function createReportsService(ctx: AppContext, policy: TimePolicy, metrics: TimeMetrics) {
  const { db, clock } = ctx;
  const dir = () => policy.directory();

  async function filterFor(
    principal: Principal,
    q: Pick<TTimeReportQuery, 'from' | 'to' | 'team' | 'person' | 'project' | 'billable'>,
  ): Promise<EntryFilter & { from: string; to: string }> {
    const days = DateTime.fromISO(q.to).diff(DateTime.fromISO(q.from), 'days').days;
    if (days < 0)
      throw new AppError('unprocessable', 'to is before from', {
        errors: [{ path: 'query.to', message: 'Must not be before from' }],
      });
    if (days >= MAX_RANGE_DAYS) {
      const message = `At most ${MAX_RANGE_DAYS} days at a time`;
      throw new AppError('unprocessable', message, { errors: [{ path: 'query.to', message }] });
    }
    let scope = await policy.scope(principal);
    if (q.person && scope !== null && !scope.includes(q.person))
      throw forbidden("You may not see this person's time");
    if (q.team) {
      const members = (await dir().listPeople({ teamId: q.team })).map((p) => p.id);
      scope = scope === null ? members : scope.filter((id) => members.includes(id));
    }
    return { scope, person: q.person, project: q.project, billable: q.billable, from: q.from, to: q.to };
  }

  /** Names of projects and activities, looked up once each. */
  function labels() {
    const projects = new Map<string, Promise<{ code: string; name: string } | null>>();
    const activities = new Map<string, Promise<{ name: string } | null>>();
    return {
      project(id: string) {
        if (!projects.has(id)) projects.set(id, dir().getProject(id));
        return projects.get(id)!;
      },
      activity(id: string) {
        if (!activities.has(id)) activities.set(id, dir().getActivity(id));
        return activities.get(id)!;
      },
    };
  }

  async function peopleById(ids: string[] | null) {
    const people = await dir().listPeople(ids ? { ids } : {});
    return new Map(people.map((p) => [p.id, p]));
  }

  return {
    async summary(principal: Principal, q: TTimeReportQuery): Promise<TTimeReport> {
      const filter = await filterFor(principal, q);
      const settings = await timesheetsRepo.settings(db);
      const rounding = { mode: settings.roundingMode, minutes: settings.roundingMinutes };
      // The rollup answers while it is built with the current rounding; the live query meanwhile.
      const built = await rollupRepo.rounding(db);
      const all =
        built.mode === rounding.mode && built.minutes === rounding.minutes
          ? await rollupRepo.summary(db, filter, q.groupBy)
          : await reportsRepo.summary(db, filter, q.groupBy, rounding);
      const rows = all.filter((r) => r.is_total === 0);
      const total = all.find((r) => r.is_total === 1);
      const names = labels();
      const people =
        q.groupBy === 'person' ? await peopleById(rows.flatMap((r) => (r.key ? [r.key] : []))) : null;
      const label = async (key: string | null): Promise<string> => {
        if (q.groupBy === 'day' || q.groupBy === 'week') return key ?? '';
        if (!key)
          return q.groupBy === 'project' ? 'No project' : q.groupBy === 'activity' ? 'No activity' : '';
        if (people) return people.get(key)?.name ?? key;
        if (q.groupBy === 'project') {
          const p = await names.project(key);
          return p ? `${p.code} ${p.name}` : key;
        }
        return (await names.activity(key))?.name ?? key;
      };
      const figures = (r: (typeof all)[number] | undefined) => ({
        workedSeconds: r?.worked ?? 0,
        roundedSeconds: r?.rounded ?? 0,
        billableSeconds: r?.billable ?? 0,
        hours: hours(r?.rounded ?? 0),
        entryCount: r?.entries ?? 0,
      });
      return {
        from: q.from,
        to: q.to,
        groupBy: q.groupBy,
        rounding,
        rows: await Promise.all(
          rows.map(async (r) => ({ key: r.key, label: await label(r.key), ...figures(r) })),
        ),
        // Over all groups, so an entry across midnight in two day rows is counted once.
        totals: figures(total),
      };
    },

    /**
     * Streams closed entries as CSV or XLSX, so memory stays flat however long the range. PostgreSQL
     * formats every row; on PostgreSQL a CSV is its COPY output as it comes, otherwise rows are read
     * through a cursor. Rounding is applied per entry, raw hours are kept beside it.
     */
    async export(principal: Principal, q: TTimeExportQuery) {
      const filter = await filterFor(principal, q);
      const settings = await timesheetsRepo.settings(db);
      const started = performance.now();

      // Everything the rows name is looked up first: the export holds a connection (on embedded
      // PGlite, the only one) until the last row.
      const refs = await reportsRepo.exportRefs(db, filter);
      const ids = (k: 'project_id' | 'activity_id') => [
        ...new Set(refs.flatMap((r) => (r[k] ? [r[k]] : []))),
      ];
      const found = <T>(items: Array<T | null>) => items.filter((x): x is T => x !== null);
      const names: ExportNames = {
        people: [...(await peopleById(filter.scope)).values()].map((p) => ({
          id: p.id,
          name: p.name,
          employeeNumber: p.employeeNumber ?? null,
        })),
        projects: found(await Promise.all(ids('project_id').map((id) => dir().getProject(id)))),
        activities: found(await Promise.all(ids('activity_id').map((id) => dir().getActivity(id)))),
      };
      const query = reportsRepo.exportQuery(filter, names, {
        mode: settings.roundingMode,
        minutes: settings.roundingMinutes,
      });

      let stream: Readable;
      if (q.format === 'csv') {
        // The BOM tells spreadsheet programs the file is UTF-8 (accents and emoji intact).
        const out = new PassThrough();
        out.write(CSV_HEADER);
        const rowsCsv = ctx.database.copyOut
          ? reportsRepo.exportCsv(ctx.database, query)
          : Promise.resolve(cursorCsv(db, query));
        rowsCsv.then((rows) => pipeline(rows, out)).catch((err) => out.destroy(err));
        stream = out;
      } else {
        stream = cursorXlsx(db, query);
      }
      stream.once('end', () =>
        metrics.exportDuration.observe({ format: q.format }, (performance.now() - started) / 1000),
      );
      return {
        stream,
        contentType:
          q.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        filename: `time-${q.from}-${q.to}.${q.format}`,
      };
    },

    /** Rebuilds the report rollup with the current rounding settings (job and CLI). */
    async rebuildRollup(): Promise<void> {
      await rollupRepo.rebuild(db);
    },

    async presence(principal: Principal): Promise<TPresence> {
      const scope = await policy.scope(principal);
      const rows = await reportsRepo.presence(db, scope);
      const people = await peopleById([...new Set(rows.map((r) => r.personId))]);
      const teams = new Map<string | null, TPresence['teams'][number]>();
      for (const r of rows) {
        const person = people.get(r.personId);
        const teamId = person?.teamId ?? null;
        if (!teams.has(teamId)) teams.set(teamId, { teamId, people: [] });
        teams.get(teamId)!.people.push({
          personId: r.personId,
          name: person?.name ?? '',
          state: r.breakSince ? 'break' : 'in',
          since: r.since.toISOString(),
          breakSince: r.breakSince?.toISOString() ?? null,
          projectId: r.projectId,
        });
      }
      return {
        now: clock.now().toISOString(),
        teams: [...teams.values()],
        counts: {
          in: rows.filter((r) => !r.breakSince).length,
          break: rows.filter((r) => r.breakSince).length,
        },
      };
    },
  };
}
