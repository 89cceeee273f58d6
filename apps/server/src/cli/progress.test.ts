import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progress } from './progress';

function fakeStream(isTTY: boolean) {
  let written = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      written += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 120 });
  return { stream, written: () => written };
}

describe('progress', () => {
  it('draws a bar with label and counts on a terminal', () => {
    const out = fakeStream(true);
    const bar = progress('Importing rows', 10, out.stream);
    bar.tick();
    bar.tick(3);
    bar.setTotal(8);
    bar.tick(4);
    bar.stop();
    expect(out.written()).toContain('Importing rows');
    expect(out.written()).toContain('8/8');
    expect(out.written()).toContain('100%');
  });

  it('writes nothing when the output is not a terminal', () => {
    const out = fakeStream(false);
    const bar = progress('Importing rows', 10, out.stream);
    bar.tick(10);
    bar.stop();
    expect(out.written()).toBe('');
  });
});
