import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Our backup files: `clockpilot_YYYYMMDD_HHMMSS` + `.sql.gz` (PostgreSQL, pg_dump's plain SQL format,
 * gzipped) or `.tar.gz` (embedded PGlite's data-directory dump), then `.gpg` or `.age` when encrypted.
 * Beside each, `<name>.sha256` in sha256sum's format. Nothing else in the folder is ever touched.
 */
export const BACKUP_NAME = /^clockpilot_(\d{8})_(\d{6})\.(sql|tar)\.gz(\.gpg|\.age)?$/;

export type BackupKind = 'sql' | 'tar';
export type Encryption = 'gpg' | 'age' | undefined;

export type BackupName = { name: string; at: Date; kind: BackupKind; encryption: Encryption };

export function parseBackupName(file: string): BackupName | undefined {
  const name = basename(file);
  const m = BACKUP_NAME.exec(name);
  if (!m) return undefined;
  const [d, t] = [m[1]!, m[2]!];
  const at = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}Z`,
  );
  if (Number.isNaN(at.getTime())) return undefined;
  return { name, at, kind: m[3] as BackupKind, encryption: m[4]?.slice(1) as Encryption };
}

export function backupName(at: Date, kind: BackupKind, encryption: Encryption): string {
  const iso = at.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
  return `clockpilot_${stamp}.${kind}.gz${encryption ? `.${encryption}` : ''}`;
}

/** Our backups in `dir`, oldest first (the name's time, which is UTC). */
export async function listBackups(dir: string): Promise<BackupName[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => parseBackupName(n))
    .filter((b): b is BackupName => b !== undefined)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.name.localeCompare(b.name));
}

/** The path of the newest backup, for `restore latest`. */
export async function latestBackup(dir: string): Promise<string> {
  const all = await listBackups(dir);
  const last = all.at(-1);
  if (!last) throw new Error(`no backup in ${dir}`);
  return join(dir, last.name);
}

/** Deletes our backups (and their checksum files) older than `days`; answers the names deleted. */
export async function pruneBackups(dir: string, days: number, now = new Date()): Promise<string[]> {
  const cutoff = now.getTime() - days * 86_400_000;
  const old = (await listBackups(dir)).filter((b) => b.at.getTime() < cutoff);
  for (const b of old) {
    await rm(join(dir, b.name), { force: true });
    await rm(join(dir, `${b.name}.sha256`), { force: true });
  }
  return old.map((b) => b.name);
}

/** The checksum recorded beside a backup. */
export async function recordedChecksum(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(`${file}.sha256`, 'utf8');
  } catch {
    throw new Error(`checksum file ${basename(file)}.sha256 is missing`);
  }
  const m = /^([0-9a-f]{64}) [ *](\S+)\s*$/.exec(text);
  if (!m || m[2] !== basename(file)) throw new Error(`checksum file ${basename(file)}.sha256 is malformed`);
  return m[1]!;
}

/** The newest backup's time and size, for the metrics (0 when there is none). */
export async function newestBackupFacts(dir: string): Promise<{ at: number; bytes: number }> {
  const last = (await listBackups(dir)).at(-1);
  if (!last) return { at: 0, bytes: 0 };
  const s = await stat(join(dir, last.name)).catch(() => undefined);
  return { at: last.at.getTime() / 1000, bytes: s?.size ?? 0 };
}
