import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { TPresence, TTimeExportQuery, TTimeReport, TTimeReportQuery } from '@clockpilot/contracts';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError, forbidden } from '../../platform/errors';
import { type ExportRow, reportsRepo } from './reports.repo';
import { rollupRepo } from './rollup.repo';
import { roundSeconds } from './time.calendar';
import type { TimeMetrics } from './time.metrics';
import type { TimePolicy } from './time.policy';
import type { EntryFilter } from './time.repo';
import { timesheetsRepo } from './timesheets.repo';

const MAX_RANGE_DAYS = 400;
const EXPORT_BATCH = 5000;
const hours = (seconds: number) => Math.round(seconds / 36) / 100;

const EXPORT_COLUMNS = [
  { key: 'date', header: 'Date', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
  { key: 'person', header: 'Person', width: 28 },
  { key: 'employeeNumber', header: 'Employee number', width: 16 },
  { key: 'projectCode', header: 'Project code', width: 14 },
  { key: 'project', header: 'Project', width: 28 },
  { key: 'activity', header: 'Activity', width: 20 },
  { key: 'start', header: 'Start', width: 17, style: { numFmt: 'yyyy-mm-dd hh:mm' } },
  { key: 'end', header: 'End', width: 17, style: { numFmt: 'yyyy-mm-dd hh:mm' } },
  { key: 'timeZone', header: 'Time zone', width: 16 },
  { key: 'breakMinutes', header: 'Break (min)', width: 12 },
  { key: 'hours', header: 'Hours', width: 10 },
  { key: 'roundedHours', header: 'Rounded hours', width: 14 },
  { key: 'billable', header: 'Billable', width: 9 },
  { key: 'note', header: 'Note', width: 40 },
] as const;
type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number]['key'], string | number>;

/**
 * Spreadsheet cells hold wall-clock dates without a zone: the entry's local date and time written as if
 * UTC become exactly the serial number a spreadsheet shows as that local time.
 */
const wallClock = (local: string) => new Date(`${local.replace(' ', 'T')}Z`);

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
     * Streams closed entries as CSV or XLSX from a database cursor, so memory stays flat however long
     * the range; rounding is applied per entry, raw hours are kept beside it.
     */
    async export(principal: Principal, q: TTimeExportQuery) {
      const filter = await filterFor(principal, q);
      const settings = await timesheetsRepo.settings(db);
      const people = await peopleById(filter.scope);
      const started = performance.now();

      // Everything the rows name is looked up first: the cursor's transaction holds a connection (on
      // embedded PGlite, the only one) until the last row.
      const refs = await reportsRepo.exportRefs(db, filter);
      const ids = (k: 'project_id' | 'activity_id') => [
        ...new Set(refs.flatMap((r) => (r[k] ? [r[k]] : []))),
      ];
      const projects = new Map(
        await Promise.all(ids('project_id').map(async (id) => [id, await dir().getProject(id)] as const)),
      );
      const activities = new Map(
        await Promise.all(ids('activity_id').map(async (id) => [id, await dir().getActivity(id)] as const)),
      );
      const record = (r: ExportRow): ExportRecord => {
        const person = people.get(r.person_id);
        const project = r.project_id ? projects.get(r.project_id) : null;
        const activity = r.activity_id ? activities.get(r.activity_id) : null;
        return {
          date: r.day,
          person: person?.name ?? r.person_id,
          employeeNumber: person?.employeeNumber ?? '',
          projectCode: project?.code ?? '',
          project: project?.name ?? '',
          activity: activity?.name ?? '',
          start: r.start_local,
          end: r.end_local,
          timeZone: r.time_zone,
          breakMinutes: Math.round(r.break_seconds / 60),
          hours: hours(r.worked_seconds),
          roundedHours: hours(
            roundSeconds(r.worked_seconds, settings.roundingMode, settings.roundingMinutes),
          ),
          billable: r.billable ? 'yes' : 'no',
          note: r.note ?? '',
        };
      };

      /** Feeds the cursor's rows into `write`, which waits whenever the client reads slower than we write. */
      const pump = (
        stream: Writable,
        write: (row: ExportRecord) => Promise<void>,
        finish: () => Promise<void>,
      ) => {
        reportsRepo
          .exportCursor(db, filter, EXPORT_BATCH, async (rows) => {
            for (const r of rows) {
              if (stream.destroyed) throw new Error('export aborted by the client');
              await write(record(r));
            }
          })
          .then(finish)
          .catch((err) => stream.destroy(err));
      };
      // A client that goes away destroys the stream; stop waiting for a drain that will never come.
      const drained = (stream: Writable) =>
        new Promise<void>((resolve) => {
          const done = () => {
            stream.off('drain', done);
            stream.off('close', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('close', done);
        });

      let stream: Readable;
      if (q.format === 'csv') {
        // The BOM tells spreadsheet programs the file is UTF-8 (accents and emoji intact).
        const csv = stringify({
          bom: true,
          header: true,
          columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })),
        });
        pump(
          csv,
          async (row) => {
            if (!csv.write(row)) await drained(csv);
          },
          async () => {
            csv.end();
          },
        );
        stream = csv;
      } else {
        const out = new PassThrough();
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
          stream: out,
          useStyles: true,
          useSharedStrings: false,
        });
        const sheet = workbook.addWorksheet('Time');
        sheet.columns = EXPORT_COLUMNS.map((c) => ({ ...c }));
        pump(
          out,
          async (row) => {
            const { date, start, end } = row as Record<'date' | 'start' | 'end', string>;
            sheet
              .addRow({ ...row, date: wallClock(date), start: wallClock(start), end: wallClock(end) })
              .commit();
            if (out.writableNeedDrain) await drained(out);
          },
          async () => {
            sheet.commit();
            await workbook.commit();
          },
        );
        stream = out;
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
