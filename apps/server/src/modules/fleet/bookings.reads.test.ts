import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { readsPerTurn } from './bookings.reads';

describe('reads shared per event-loop turn', () => {
  it('makes one read per key for the askers of a turn, started after the last of them asked', async () => {
    const shared = readsPerTurn<string>();
    const started: string[] = [];
    const read = (key: string) => () => {
      started.push(key);
      return Promise.resolve(`${key}!`);
    };
    const answers = [shared('a', read('a')), shared('b', read('b')), shared('a', read('a'))];
    await Promise.resolve();
    expect(started).toEqual([]);
    expect(await Promise.all(answers)).toEqual(['a!', 'b!', 'a!']);
    expect(started).toEqual(['a', 'b']);
    // A later turn reads again.
    expect(await shared('a', read('a'))).toBe('a!');
    expect(started).toEqual(['a', 'b', 'a']);
  });

  it('gives every asker of a failed read its error, one that throws at once included', async () => {
    const shared = readsPerTurn<string>();
    const fail = () => Promise.reject(new Error('down'));
    const answers = [shared('a', fail), shared('a', fail)];
    for (const a of answers) await expect(a).rejects.toThrow('down');
    const thrown = (): Promise<string> => {
      throw new Error('at once');
    };
    await expect(shared('b', thrown)).rejects.toThrow('at once');
  });

  it('reads outside the first asker’s context (its transaction is not everyone’s)', async () => {
    const request = new AsyncLocalStorage<string>();
    const shared = readsPerTurn<string | undefined>();
    const answer = request.run('first asker', () => shared('a', () => Promise.resolve(request.getStore())));
    expect(await answer).toBeUndefined();
  });
});
