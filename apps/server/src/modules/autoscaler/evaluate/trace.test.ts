import { describe, expect, it } from 'vitest';
import { parseTrace, TraceError } from './trace';

describe('trace CSV', () => {
  it('reads ISO timestamps without a zone as UTC, per second', () => {
    const t = parseTrace(
      'timestamp,requests\n2023-11-16T18:15:46,1\n2023-11-16T18:15:47,0\n2023-11-16T18:15:48,3\n',
    );
    expect(t.stepSeconds).toBe(1);
    expect(t.startSeconds).toBe(Date.UTC(2023, 10, 16, 18, 15, 46) / 1000);
    expect([...t.requests]).toEqual([1, 0, 3]);
    expect(t).toMatchObject({ gapSteps: 0, zeroSteps: 1 });
  });

  it('reads Unix seconds and milliseconds, and fills gaps with zero requests', () => {
    const seconds = parseTrace('1700000000,5\n1700000060,6\n1700000240,7\n');
    expect(seconds.stepSeconds).toBe(60);
    expect([...seconds.requests]).toEqual([5, 6, 0, 0, 7]);
    expect(seconds.gapSteps).toBe(2);
    const millis = parseTrace('1700000000000,5\r\n1700000060000,6\r\n');
    expect(millis).toMatchObject({ stepSeconds: 60, startSeconds: 1_700_000_000 });
  });

  it('refuses what it cannot replay faithfully, with the line', () => {
    expect(() => parseTrace('timestamp,requests\n')).toThrow(TraceError);
    expect(() => parseTrace('1,5\n')).toThrow(/two steps/);
    expect(() => parseTrace('1,5\n2,x\n')).toThrow(/line 2/);
    expect(() => parseTrace('1,5\n2,-1\n')).toThrow(/line 2/);
    expect(() => parseTrace('yesterday,5\ntoday,6\n')).toThrow(
      /line 1: "yesterday" is not an ISO or Unix timestamp/,
    );
    // Counts in decimal only, and none so large that a trace's sums stop being finite.
    expect(() => parseTrace('1,5\n2,0x10\n')).toThrow(/line 2: "0x10" is not a number of requests/);
    expect(() => parseTrace('1,5\n2,Infinity\n')).toThrow(/line 2/);
    expect(() => parseTrace('1,1e308\n2,5\n')).toThrow(/line 1: 1e308 requests in one step/);
    expect(parseTrace('1,1.5e3\n2,2\n').requests).toEqual(new Float64Array([1500, 2]));
  });

  it('reads rows in any order, adds up rows of one step, and takes an empty count for a gap', () => {
    const t = parseTrace('# a comment\ntimestamp,requests\n120,7\n0,5\n60,6\n60,1\n');
    expect([t.stepSeconds, t.startSeconds, [...t.requests]]).toEqual([60, 0, [5, 7, 7]]);
    // Off the grid: each row counts in the step it falls in.
    expect([...parseTrace('0,5\n60,6\n90,1\n120,7\n180,2\n240,3\n').requests]).toEqual([5, 7, 7, 2, 3]);
    const gap = parseTrace('1,5\n2,\n3,0\n');
    expect([[...gap.requests], gap.gapSteps, gap.zeroSteps]).toEqual([[5, 0, 0], 1, 1]);
  });

  it('reads lines ended by CR alone, as old spreadsheets write them', () => {
    expect(parseTrace('timestamp,requests\r1,5\r2,6\r').requests).toEqual(new Float64Array([5, 6]));
  });

  it('reads quoted cells, a header after comments, and semicolon or tab separators', () => {
    const expected = new Float64Array([5, 6]);
    expect(
      parseTrace('"timestamp","requests"\n"1970-01-01T00:00:01Z","5"\n"1970-01-01T00:00:02Z","6"\n').requests,
    ).toEqual(expected);
    expect(parseTrace('# source: a log\n\ntimestamp,requests\n1,5\n2,6\n').requests).toEqual(expected);
    expect(parseTrace('\uFEFFtimestamp;requests\r\n1;5\r\n2;6\r\n').requests).toEqual(expected);
    expect(parseTrace('timestamp\trequests\n1\t5\n2\t6\n').requests).toEqual(expected);
  });

  it('finds the columns by the header’s names, in any order and beside others', () => {
    const t = parseTrace('requests,host,timestamp\n10,a,0\n20,b,60\n');
    expect([t.stepSeconds, t.startSeconds, [...t.requests]]).toEqual([60, 0, [10, 20]]);
    expect([...parseTrace('Time;Count\n0;3\n1;4\n').requests]).toEqual([3, 4]);
  });
});
