import { describe, expect, it } from 'vitest';
import { initials } from './initials';

describe('avatar initials', () => {
  it('takes whole letters, skipping words that start with an emoji', () => {
    expect(initials('Eli Employee')).toBe('EE');
    expect(initials('🚀 Anna Maria Schmidt')).toBe('AS');
    expect(initials('Zoë 🌻')).toBe('Z');
    expect(initials('élodie dupont')).toBe('ÉD');
    expect(initials('🌻')).toBe('🌻');
    expect(initials('   ')).toBe('');
  });
});
