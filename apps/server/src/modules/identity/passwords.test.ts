import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblems, verifyPassword } from './passwords';

const codes = (password: string, ctx: { minLength?: number; username?: string; email?: string } = {}) =>
  passwordProblems(password, { minLength: 8, ...ctx }).map((p) => p.code);

describe('password policy', () => {
  it('names every rule a password breaks', () => {
    expect(codes('abc')).toEqual(['too_short', 'missing_uppercase', 'missing_digit', 'missing_special']);
    expect(codes('ABCDEFGH1!')).toEqual(['missing_lowercase']);
    expect(codes('x'.repeat(129))).toContain('too_long');
    expect(codes('Short-1a', { minLength: 12 })).toEqual(['too_short']);
  });

  it('counts letters of any script as letters, not as the symbol', () => {
    expect(codes('Pässw0rd1')).toEqual(['missing_special']);
    expect(codes('ÉCOLE-été-7')).toEqual([]);
    expect(codes('ÄÖÜ-1234')).toEqual(['missing_lowercase']);
  });

  it('refuses leaked passwords, also dressed up with capitals, digits and symbols', () => {
    expect(codes('Password1!')).toEqual(['common_password']);
    expect(codes('!!Sunshine2024')).toEqual(['common_password']);
    expect(codes('Trustno1#')).toEqual(['common_password']);
    expect(codes('Quartz-Meadow-42-Lantern')).toEqual([]);
  });

  it('refuses the username or the email name inside the password', () => {
    expect(codes('Xx-Marguerite-9!', { username: 'marguerite' })).toEqual(['contains_username']);
    expect(codes('Xx-Jdoe-Ok-9!', { email: 'jdoe@example.test' })).toEqual(['contains_username']);
  });

  it('generates passwords that pass, and different ones each time', () => {
    const made = Array.from({ length: 50 }, generatePassword);
    for (const p of made) expect(codes(p)).toEqual([]);
    expect(new Set(made).size).toBe(50);
  });
});

describe('hashing', () => {
  it('uses argon2id and verifies only the right password', async () => {
    const phc = await hashPassword('Quartz-Meadow-42-Lantern');
    expect(phc).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(phc, 'Quartz-Meadow-42-Lantern')).toBe(true);
    expect(await verifyPassword(phc, 'Quartz-Meadow-42-lantern')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
