/**
 * The check digit of a 17-character VIN (ISO 3779, as North America mandates it in position 9):
 * letters are transliterated to digits, weighted by position, summed modulo 11; 10 is written X.
 */
const VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The check character a VIN should carry at position 9, or null when it has a character no VIN may. */
export function vinCheckDigit(vin: string): string | null {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    sum += (c >= '0' && c <= '9' ? Number(c) : VALUES[c]!) * WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export const isValidVin = (vin: string) => vinCheckDigit(vin) === vin[8];

/** Sets position 9 of a 17-character draft to its check digit: for demo data and tests. */
export function withCheckDigit(draft: string): string {
  const digit = vinCheckDigit(draft);
  if (!digit) throw new Error(`not a VIN draft: ${draft}`);
  return `${draft.slice(0, 8)}${digit}${draft.slice(9)}`;
}
