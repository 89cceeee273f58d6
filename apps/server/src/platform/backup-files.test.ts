import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { backupName, latestBackup, parseBackupName, pruneBackups } from './backup-files';

it('names backups by UTC time and reads the name back', () => {
  const name = backupName(new Date('2026-11-26T02:00:07Z'), 'sql', 'age');
  expect(name).toBe('clockpilot_20261126_020007.sql.gz.age');
  expect(parseBackupName(`/x/${name}`)).toMatchObject({ kind: 'sql', encryption: 'age' });
  expect(parseBackupName('clockpilot_20261126_020007.sql')).toBeUndefined();
});

it('retention prunes only our backups (and their checksums) older than the limit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cp-prune-'));
  const files = [
    'clockpilot_20261001_020000.sql.gz',
    'clockpilot_20261001_020000.sql.gz.sha256',
    'clockpilot_20261020_020000.tar.gz.gpg',
    'clockpilot_20261125_020000.sql.gz',
    'clockpilot_20261125_020000.sql.gz.sha256',
    'clockpilot_old_manual.sql.gz',
    'notes.txt',
  ];
  for (const f of files) await writeFile(join(dir, f), 'x');
  const pruned = await pruneBackups(dir, 30, new Date('2026-11-26T03:00:00Z'));
  expect(pruned).toEqual(['clockpilot_20261001_020000.sql.gz', 'clockpilot_20261020_020000.tar.gz.gpg']);
  expect((await readdir(dir)).sort()).toEqual([
    'clockpilot_20261125_020000.sql.gz',
    'clockpilot_20261125_020000.sql.gz.sha256',
    'clockpilot_old_manual.sql.gz',
    'notes.txt',
  ]);
  expect(await latestBackup(dir)).toBe(join(dir, 'clockpilot_20261125_020000.sql.gz'));
});
