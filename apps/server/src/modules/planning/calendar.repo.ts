import { and, eq, getTableColumns, gte, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { keyset, type SortKey } from '../../platform/pagination';
import { type HolidayRow, holidays, type TimeOffRow, timeOff } from './planning.tables';

type Page<S extends string> = { limit: number; cursor?: string; sort: S; dir: 'asc' | 'desc' };
const when = <T>(v: T | undefined, cond: (v: T) => SQL) => (v === undefined ? undefined : cond(v));

const TIME_OFF_SORTS = {
  startDate: { expr: sql`${timeOff.startDate}::timestamptz`, type: 'timestamptz' },
} satisfies Record<string, SortKey>;
const HOLIDAY_SORTS = {
  date: { expr: sql`${holidays.date}::timestamptz`, type: 'timestamptz' },
} satisfies Record<string, SortKey>;

/** Company holidays, plus those of `region` when given. */
const inRegion = (region: string | undefined) =>
  region === undefined ? isNull(holidays.region) : or(isNull(holidays.region), eq(holidays.region, region));

/** The SQL of time off and holidays: what reduces a person's capacity in a week. */
export const calendarRepo = {
  async timeOff(db: DbOrTx, id: string, lock = false): Promise<TimeOffRow | null> {
    const q = db.select().from(timeOff).where(eq(timeOff.id, id));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },
  async timeOffPage(
    db: DbOrTx,
    f: { personIds?: string[]; from?: string; to?: string },
    p: Page<keyof typeof TIME_OFF_SORTS>,
  ) {
    const ks = keyset({ sorts: TIME_OFF_SORTS, id: timeOff.id, ...p });
    const rows = await db
      .select({ ...getTableColumns(timeOff), _k: ks.key })
      .from(timeOff)
      .where(
        and(
          when(f.personIds, (v) => (v.length === 0 ? sql`false` : inArray(timeOff.personId, v))),
          when(f.from, (v) => gte(timeOff.endDate, v)),
          when(f.to, (v) => lte(timeOff.startDate, v)),
          ks.where,
        ),
      )
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
  /** Time off overlapping [from, to], of the given people (all when undefined). */
  timeOffWithin(db: DbOrTx, from: string, to: string, personIds?: string[]) {
    return db
      .select({
        personId: timeOff.personId,
        startDate: timeOff.startDate,
        endDate: timeOff.endDate,
        dayFraction: timeOff.dayFraction,
      })
      .from(timeOff)
      .where(
        and(
          lte(timeOff.startDate, to),
          gte(timeOff.endDate, from),
          personIds ? inArray(timeOff.personId, personIds) : undefined,
        ),
      );
  },
  async insertTimeOff(db: DbOrTx, values: typeof timeOff.$inferInsert): Promise<TimeOffRow> {
    const [row] = await db.insert(timeOff).values(values).returning();
    return row!;
  },
  async updateTimeOff(db: DbOrTx, id: string, values: Partial<TimeOffRow>): Promise<TimeOffRow> {
    const [row] = await db.update(timeOff).set(values).where(eq(timeOff.id, id)).returning();
    return row!;
  },
  async deleteTimeOff(db: DbOrTx, id: string): Promise<void> {
    await db.delete(timeOff).where(eq(timeOff.id, id));
  },

  async holiday(db: DbOrTx, id: string, lock = false): Promise<HolidayRow | null> {
    const q = db.select().from(holidays).where(eq(holidays.id, id));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },
  async holidayPage(
    db: DbOrTx,
    f: { from?: string; to?: string; region?: string },
    p: Page<keyof typeof HOLIDAY_SORTS>,
  ) {
    const ks = keyset({ sorts: HOLIDAY_SORTS, id: holidays.id, ...p });
    const rows = await db
      .select({ ...getTableColumns(holidays), _k: ks.key })
      .from(holidays)
      .where(
        and(
          when(f.from, (v) => gte(holidays.date, v)),
          when(f.to, (v) => lte(holidays.date, v)),
          when(f.region, (v) => eq(holidays.region, v)),
          ks.where,
        ),
      )
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
  /** Holiday dates in [from, to] that apply (company-wide, and the region's). */
  async holidayDates(db: DbOrTx, from: string, to: string, region?: string): Promise<Set<string>> {
    const rows = await db
      .select({ date: holidays.date })
      .from(holidays)
      .where(and(gte(holidays.date, from), lte(holidays.date, to), inRegion(region)));
    return new Set(rows.map((r) => r.date));
  },
  async insertHoliday(db: DbOrTx, values: typeof holidays.$inferInsert): Promise<HolidayRow> {
    const [row] = await db.insert(holidays).values(values).returning();
    return row!;
  },
  async updateHoliday(db: DbOrTx, id: string, values: Partial<HolidayRow>): Promise<HolidayRow> {
    const [row] = await db.update(holidays).set(values).where(eq(holidays.id, id)).returning();
    return row!;
  },
  async deleteHoliday(db: DbOrTx, id: string): Promise<void> {
    await db.delete(holidays).where(eq(holidays.id, id));
  },
};
