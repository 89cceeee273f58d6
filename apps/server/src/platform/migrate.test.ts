import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../../test/helpers';
import type { Database } from './db';
import { loadMigrations, loadRollbackSteps, migrate, prepareRollback } from './migrate';

let database: Database;
beforeAll(async () => {
  database = await emptyDatabase();
  await migrate(database, { migrations: loadMigrations() });
  await database.withSession((s) => s.exec('create table rollback_probe (step text)'));
});
afterAll(() => database?.close());

const probe = () => database.withSession((s) => s.query<{ step: string }>('select step from rollback_probe'));
const step = (name: string, sql: string) => ({ name, sql, checksum: '' });

describe('rollback steps', () => {
  it("runs the steps of the applied migrations after the target's newest, newest first, in one transaction", async () => {
    const steps = [
      step('0056_autoscaler_cluster_ticks', "insert into rollback_probe values ('0056')"),
      step('0057_autoscaler_rollup_watermark', "insert into rollback_probe values ('0057')"),
      step('9999_not_applied', 'select 1/0'),
    ];
    expect(await prepareRollback(database, '0057', steps)).toEqual([]);
    expect(await prepareRollback(database, '0055_autoscaler_events_by_day', steps)).toEqual([
      '0057_autoscaler_rollup_watermark',
      '0056_autoscaler_cluster_ticks',
    ]);
    expect(await probe()).toEqual([{ step: '0057' }, { step: '0056' }]);

    await database.withSession((s) => s.exec('delete from rollback_probe'));
    const failing = [steps[0]!, step('0057_autoscaler_rollup_watermark', 'select 1/0')];
    await expect(prepareRollback(database, '0055', failing)).rejects.toThrow(/division by zero/);
    expect(await probe()).toEqual([]);
    await expect(prepareRollback(database, 'latest')).rejects.toThrow(/not a migration/);
  });

  it('ships steps only for migrations that exist', () => {
    const names = new Set(loadMigrations().map((m) => m.name));
    const shipped = loadRollbackSteps().map((m) => m.name);
    expect(shipped).toEqual(['0056_autoscaler_cluster_ticks', '0057_autoscaler_rollup_watermark']);
    expect(shipped.filter((n) => !names.has(n))).toEqual([]);
  });
});
