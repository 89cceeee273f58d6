import { z } from 'zod';
import { int, type Option, str } from './kit';

/** Database backups: where they go, how long they stay, how they are encrypted and when they run. */
export const BACKUP_OPTIONS = [
  {
    section: 'backup',
    key: 'dir',
    env: 'BACKUPS_DIR',
    schema: str().default('./backups'),
    doc: 'Private folder, never web-served: backup files (clockpilot_YYYYMMDD_HHMMSS.sql.gz[.gpg|.age] with their .sha256) and uploads being imported (incoming/<kind>/, mode 0600).',
  },
  {
    section: 'backup',
    key: 'retention_days',
    env: 'BACKUP_RETENTION_DAYS',
    schema: int(30, 1, 3650),
    doc: 'Backups older than this many days are deleted after each backup (only files named like ours).',
  },
  {
    section: 'backup',
    key: 'schedule',
    env: 'BACKUP_SCHEDULE',
    schema: z.string().trim().default('0 2 * * *'),
    doc: 'Cron expression (UTC, five fields) of the scheduled backup job; "off" turns the job off.',
  },
  {
    section: 'backup',
    key: 'gpg_recipient',
    env: 'BACKUP_GPG_RECIPIENT',
    schema: str().optional(),
    doc: 'Encrypt backups to this GPG key (id or e-mail in the keyring); restore decrypts with the keyring.',
  },
  {
    section: 'backup',
    key: 'age_recipient',
    env: 'BACKUP_AGE_RECIPIENT',
    schema: z
      .string()
      .trim()
      .regex(/^age1[0-9a-z]{58}$/, 'must be an age public key (age1…)')
      .optional(),
    doc: 'Encrypt backups to this age public key instead (age1…).',
  },
  {
    section: 'backup',
    key: 'age_identity',
    env: 'BACKUP_AGE_IDENTITY',
    schema: str().optional(),
    doc: 'Identity file (age secret key) that restore and verify use to decrypt .age backups.',
  },
] as const satisfies readonly Option[];
