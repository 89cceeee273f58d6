import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { requestLogger } from './request-logger';

describe('the per-request logger', () => {
  it('makes its pino child only for a line at a level that is on, with the request id', () => {
    const lines: string[] = [];
    const parent = pino({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    const child = vi.spyOn(parent, 'child');
    const log = requestLogger(parent, { reqId: 'r1' }, {});
    log.info('incoming request');
    log.debug('details');
    expect(child).not.toHaveBeenCalled();
    log.error({ code: 7 }, 'failed');
    log.warn('again');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { reqId: 'r1', code: 7, msg: 'failed' },
      { reqId: 'r1', msg: 'again' },
    ]);
  });

  it('takes a level of its own for one request, leaving the others’ as it was', () => {
    const lines: string[] = [];
    const parent = pino({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    const log = requestLogger(parent, { reqId: 'r3' }, {});
    log.level = 'debug';
    log.debug('details');
    expect(log.level).toBe('debug');
    expect(parent.level).toBe('warn');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ reqId: 'r3', msg: 'details' }]);
  });

  it('is pino’s own child when the route sets a level of its own', () => {
    const parent = pino({ level: 'warn' });
    expect(requestLogger(parent, { reqId: 'r2' }, { level: 'debug' }).level).toBe('debug');
  });
});
