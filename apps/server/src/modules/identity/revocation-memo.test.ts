import { describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache';
import type { AppContext } from '../../platform/context';
import { createRevocationMemo } from './revocation-memo';

/** A shared cache whose channel the test drives: reads are counted, liveness and messages are by hand. */
function fakeCache() {
  const values = new Map<string, string>();
  const state = {
    reads: 0,
    onMessage: (_: string) => {},
    onLive: (_: boolean) => {},
    /** Resolves the next get only when released, to race a message against it. */
    hold: undefined as Promise<void> | undefined,
  };
  const cache = {
    async get(key: string) {
      state.reads++;
      const value = values.get(key);
      if (state.hold) await state.hold;
      return value;
    },
    async publish(_channel: string, message: string) {
      state.onMessage(message);
    },
    subscribe(_channel: string, onMessage: (m: string) => void, onLive?: (live: boolean) => void) {
      state.onMessage = onMessage;
      state.onLive = onLive ?? (() => {});
      return () => {};
    },
  } as unknown as Cache;
  /** Holds every read until the function it answers is called. */
  const holdReads = () => {
    let release = () => {};
    state.hold = new Promise((r) => {
      release = r;
    });
    return release;
  };
  return { values, state, holdReads, ctx: { cache } as AppContext };
}

/** A memo on a fresh fake cache, its channel already live unless asked otherwise. */
function memoOnFakeCache({ live = true } = {}) {
  const fake = fakeCache();
  const memo = createRevocationMemo(fake.ctx);
  if (live) fake.state.onLive(true);
  return { ...fake, memo };
}

describe('revocation memo', () => {
  it('reads the shared cache every time while its channel is not live', async () => {
    const { state, memo } = memoOnFakeCache({ live: false });
    await memo.read('k');
    await memo.read('k');
    expect(state.reads).toBe(2);
  });

  it('remembers a value while live, and forgets it on a message from any replica', async () => {
    const { values, state, memo } = memoOnFakeCache();
    expect(await memo.read('k')).toBeUndefined();
    expect(await memo.read('k')).toBeUndefined();
    expect(state.reads).toBe(1);
    values.set('k', 'revoked');
    state.onMessage('k');
    expect(await memo.read('k')).toBe('revoked');
    expect(state.reads).toBe(2);
  });

  it('forgets everything when the channel drops, and remembers nothing until it is live again', async () => {
    const { values, state, memo } = memoOnFakeCache();
    await memo.read('k');
    state.onLive(false);
    values.set('k', 'revoked');
    expect(await memo.read('k')).toBe('revoked');
    values.delete('k');
    expect(await memo.read('k')).toBeUndefined();
    expect(state.reads).toBe(3);
  });

  it('does not keep a value read before a message about it arrived', async () => {
    const { values, state, memo, holdReads } = memoOnFakeCache();
    const release = holdReads();
    const racing = memo.read('k');
    values.set('k', 'revoked');
    await memo.changed('k');
    release();
    expect(await racing).toBeUndefined();
    state.hold = undefined;
    expect(await memo.read('k')).toBe('revoked');
    expect(state.reads).toBe(2);
  });

  it('makes one read for a burst of first reads of a key, and none joins a read older than a message', async () => {
    const { values, state, memo, holdReads } = memoOnFakeCache();
    const release = holdReads();
    const burst = Array.from({ length: 50 }, () => memo.read('k'));
    expect(state.reads).toBe(1);
    values.set('k', 'revoked');
    await memo.changed('k');
    const after = memo.read('k');
    expect(state.reads).toBe(2);
    release();
    expect(await Promise.all(burst)).toEqual(Array(50).fill(undefined));
    expect(await after).toBe('revoked');
  });
});
