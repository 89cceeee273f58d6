import { describe, expect, it } from 'vitest';
import type { ModuleName } from '../config/load';
import { createEventBus } from './events';
import { type AnyModule, orderModules } from './module';

const mod = (name: ModuleName, dependsOn: ModuleName[] = []): AnyModule => ({
  name,
  dependsOn,
  services: () => ({}),
});
const names = (mods: AnyModule[]) => mods.map((m) => m.name);

describe('module order', () => {
  it('puts every module after what it depends on, whatever the order of the list', () => {
    const all = [mod('time', ['identity', 'directory']), mod('directory', ['identity']), mod('identity')];
    expect(names(orderModules(all, ['time', 'directory', 'identity']))).toEqual([
      'identity',
      'directory',
      'time',
    ]);
    expect(names(orderModules(all, ['identity']))).toEqual(['identity']);
  });

  it('stops with a clear message when a dependency is switched off, missing or circular', () => {
    const all = [mod('identity'), mod('directory', ['identity']), mod('time', ['directory'])];
    expect(() => orderModules(all, ['identity', 'time'])).toThrow(
      'module time needs directory, which is switched off (MODULES=identity,time)',
    );
    expect(() => orderModules([mod('fleet', ['planning'])], ['fleet', 'planning'])).toThrow(
      'module fleet depends on planning, which does not exist',
    );
    const cyclic = [mod('identity', ['time']), mod('directory', ['identity']), mod('time', ['directory'])];
    expect(() => orderModules(cyclic, ['identity', 'directory', 'time'])).toThrow(
      'module dependencies form a cycle: identity → time → directory → identity',
    );
  });

  it('skips a known module name that has no module yet', () => {
    expect(names(orderModules([mod('identity')], ['identity', 'fleet']))).toEqual(['identity']);
  });
});

describe('event bus', () => {
  it('runs handlers in subscription order and fails the emit when one throws', async () => {
    const bus = createEventBus();
    const seen: string[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: the test emits an event no module declares
    const anyBus = bus as any;
    anyBus.on('test.happened', async (p: { n: number }) => {
      seen.push(`first ${p.n}`);
    });
    anyBus.on('test.happened', (p: { n: number }) => {
      seen.push(`second ${p.n}`);
      if (p.n > 1) throw new Error('refused');
    });
    await anyBus.emit('test.happened', { n: 1 });
    await expect(anyBus.emit('test.happened', { n: 2 })).rejects.toThrow('refused');
    expect(seen).toEqual(['first 1', 'second 1', 'first 2', 'second 2']);
    await anyBus.emit('nobody.listens', {});
  });
});
