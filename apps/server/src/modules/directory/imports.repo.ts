import { inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { insertMany } from '../../platform/db-bulk';
import { clients, people, projects, teams } from './directory.tables';

const lowered = (values: string[]) => [...new Set(values.map((v) => v.toLowerCase()))];

/** Bulk reads and writes of the directory's imports: natural keys in, rows out. */
export const importsRepo = {
  /** People whose employee number or email (both without case) is one of those given. */
  peopleByKeys(db: DbOrTx, keys: { emails: string[]; employeeNumbers: string[] }) {
    const emails = lowered(keys.emails);
    const numbers = lowered(keys.employeeNumbers);
    if (emails.length + numbers.length === 0) return Promise.resolve([]);
    return db
      .select()
      .from(people)
      .where(
        or(
          numbers.length ? inArray(sql`lower(${people.employeeNumber})`, numbers) : undefined,
          emails.length ? inArray(sql`lower(${people.email})`, emails) : undefined,
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
