import { describe, expect, it } from 'vitest';
import { parseDuration } from './format';

describe('typed durations', () => {
  it.each([
    ['1:30', 5400],
    ['0:45', 2700],
    ['1.5', 5400],
    ['1,5', 5400],
    ['8', 28800],
    ['90m', 5400],
    ['90 min', 5400],
    ['1h 30m', 5400],
    ['2h', 7200],
    [' 1H30M ', 5400],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'abc', '0', '0:00', '1:75', '-1', 'h', '1.5.2'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
