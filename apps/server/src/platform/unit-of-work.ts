import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, DbOrTx, Tx } from './db';

/** On the unit of work's handle: the database itself while no unit of work runs, else undefined. */
const POOL = Symbol('pool');

/**
 * A database handle that follows the ambient unit of work: inside `run`, every query made through
 * it, by any module, joins one transaction (a service's own `transaction` becomes a savepoint).
 * This is how work that spans modules (the demo company) commits or rolls back as a whole, without
 * each service taking a transaction parameter.
 */
export function unitOfWork(db: Db) {
  const current = new AsyncLocalStorage<Tx>();
  const handle = new Proxy(db, {
    get(target, prop) {
      if (prop === POOL) return current.getStore() ? undefined : target;
      const active = current.getStore() ?? target;
      const value = Reflect.get(active, prop, active);
      return typeof value === 'function' ? value.bind(active) : value;
    },
  });
  return {
    db: handle,
    run<T>(fn: () => Promise<T>): Promise<T> {
      if (current.getStore()) return fn();
      return db.transaction((tx) => current.run(tx, fn));
    },
  };
}

type Preparable = { prepare(name: string): { execute(values: Record<string, unknown>): Promise<unknown> } };

/**
 * A hot statement built once and run by name, so neither Drizzle rebuilds it nor PostgreSQL parses
 * and plans it again on a connection that has seen it (a per-request read costs a third). Only on the
 * application's handle outside a unit of work; on a transaction it is built per call (still named, so
 * still parsed once per connection), as a statement prepared on the pool would escape the transaction.
 */
export function prepared<Q extends Preparable>(name: string, build: (db: DbOrTx) => Q) {
  const built = new WeakMap<object, ReturnType<Q['prepare']>>();
  return (db: DbOrTx): ReturnType<Q['prepare']> => {
    const pool = (db as unknown as Record<symbol, Db | undefined>)[POOL];
    if (!pool) return build(db).prepare(name) as ReturnType<Q['prepare']>;
    let statement = built.get(pool);
    if (!statement) {
      statement = build(pool).prepare(name) as ReturnType<Q['prepare']>;
      built.set(pool, statement);
    }
    return statement;
  };
}
