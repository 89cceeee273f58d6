import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures older than this are refused, so a captured delivery cannot be replayed later. */
export const PERSONA_TOLERANCE_SECONDS = 300;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as Persona signs a delivery. */
export const personaSignature = (secret: string, body: string, t: number) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

/**
 * Checks a `Persona-Signature` header. During a secret rotation Persona sends two space-separated
 * `t=…,v1=…` pairs; either may match. A pair whose time is over 300 s old (or far ahead) does not count.
 */
export function verifyPersonaSignature(
  header: string | undefined,
  body: Buffer,
  secret: string,
  nowMs: number,
): boolean {
  if (!header) return false;
  const now = Math.floor(nowMs / 1000);
  return header
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .some((pair) => {
      const fields = new Map(pair.split(',').map((kv) => kv.split('=', 2) as [string, string]));
      const t = Number(fields.get('t'));
      const given = fields.get('v1') ?? '';
      if (
        !Number.isInteger(t) ||
        Math.abs(now - t) > PERSONA_TOLERANCE_SECONDS ||
        !/^[0-9a-f]{64}$/.test(given)
      )
        return false;
      const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
      return timingSafeEqual(expected, Buffer.from(given, 'hex'));
    });
}
