import { inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { insertMany } from '../../platform/db-bulk';
import { clients, people, projects, teams } from './directory.tables';

const lowered = (values: string[]) => [...new Set(values.map((v) => v.toLowerCase()))];

/** Bulk reads and writes of the directory's imports: natural keys in, rows out. */
export const importsRepo = {
  /**
   * People whose employee number or email (both without case) is one of those given. The keys come
   * as an array the planner cannot see into, which it costs as ten: seeing a batch's 1,000 against a
   * table without statistics (one an import fills in its transaction) it expected most of the table
   * and scanned all of it for every batch, a third of the 100,000-row import's database time.
   */
  peopleByKeys(db: DbOrTx, keys: { emails: string[]; employeeNumbers: string[] }) {
    const emails = lowered(keys.emails);
    const numbers = lowered(keys.employeeNumbers);
    if (emails.length + numbers.length === 0) return Promise.resolve([]);
    const anyOf = (values: string[]) =>
      sql`any(array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)))`;
    return db
      .select()
      .from(people)
      .where(
        or(
          numbers.length ? sql`lower(${people.employeeNumber}) = ${anyOf(numbers)}` : undefined,
          emails.length ? sql`lower(${people.email}) = ${anyOf(emails)}` : undefined,
        ),
      );
  },
  teamsByNames(db: DbOrTx, names: string[]) {
    const wanted = lowered(names);
    if (!wanted.length) return Promise.resolve([]);
    return db
      .select()
      .from(teams)
      .where(inArray(sql`lower(${teams.name})`, wanted));
  },
  clientsByNames(db: DbOrTx, names: string[]) {
    const wanted = lowered(names);
    if (!wanted.length) return Promise.resolve([]);
    return db
      .select()
      .from(clients)
      .where(inArray(sql`lower(${clients.name})`, wanted));
  },
  projectsByCodes(db: DbOrTx, codes: string[]) {
    const wanted = lowered(codes);
    if (!wanted.length) return Promise.resolve([]);
    return db
      .select()
      .from(projects)
      .where(inArray(sql`lower(${projects.code})`, wanted));
  },
  insertPeople(db: DbOrTx, values: Array<typeof people.$inferInsert>) {
    return insertMany(db, people, values);
  },
  insertClients(db: DbOrTx, values: Array<typeof clients.$inferInsert>) {
    return insertMany(db, clients, values);
  },
  insertProjects(db: DbOrTx, values: Array<typeof projects.$inferInsert>) {
    return insertMany(db, projects, values);
  },
};
