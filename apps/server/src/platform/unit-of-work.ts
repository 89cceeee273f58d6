import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Tx } from './db';

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
