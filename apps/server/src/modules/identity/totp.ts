import { randomInt } from 'node:crypto';
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import { sha256 } from './tokens';

const ISSUER = 'ClockPilot';
const PERIOD = 30;
/** One step either side: a phone clock a little off still works. */
const TOLERANCE_SECONDS = PERIOD;

export const newTotpSecret = () => generateSecret({ length: 20 });

export async function totpEnrolment(secret: string, account: string) {
  const otpauthUri = generateURI({ issuer: ISSUER, label: account, secret, period: PERIOD });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 1 });
  return { otpauthUri, qrCodeDataUrl, secret };
}

/**
 * Checks a 6-digit code at `now`; answers the time step it matched, or null. A step at or before
 * `lastStep` is refused, so a code seen over someone's shoulder cannot be used again.
 */
export function verifyTotp(secret: string, code: string, now: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      period: PERIOD,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // A last step beyond the window (clock moved back) or a malformed secret: no match.
    return null;
  }
}

/** The current code; for tests and the CLI. */
export const totpCode = (secret: string, now: Date) =>
  generateSync({ secret, period: PERIOD, epoch: Math.floor(now.getTime() / 1000) });

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

/** 16 characters from a 31-letter alphabet (~79 bits), shown as xxxx-xxxx-xxxx-xxxx. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return chars.join('').replace(/(.{4})(?!$)/g, '$1-');
  });
}

export const isRecoveryCodeShape = (s: string) => /^[a-z0-9]{4}(-?[a-z0-9]{4}){3}$/i.test(s.trim());

/** Codes are random and long, so a fast hash is enough; case and dashes do not matter. */
export const hashRecoveryCode = (code: string) => sha256(code.trim().toLowerCase().replace(/-/g, ''));
