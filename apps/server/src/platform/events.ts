/**
 * Events modules tell each other about. Each module declares the events it emits in its own
 * index.ts (`declare module '../../platform/events' { interface Events { … } }`), so a listener is
 * typed by the emitter's declaration and never imports the emitter's files.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface Events {}

export type EventName = keyof Events;
export type EventHandler<K extends EventName> = (payload: Events[K]) => Promise<void> | void;

export type EventBus = {
  on<K extends EventName>(name: K, handler: EventHandler<K>): void;
  /**
   * Runs every handler in the order they subscribed and waits for them. A payload that carries the
   * emitter's transaction lets handlers write in it, so their work commits or rolls back with the
   * change that caused it; a handler that throws fails the emit (and with it that transaction).
   */
  emit<K extends EventName>(name: K, payload: Events[K]): Promise<void>;
};

export function createEventBus(): EventBus {
  const handlers = new Map<EventName, Array<EventHandler<never>>>();
  return {
    on(name, handler) {
      const list = handlers.get(name) ?? [];
      list.push(handler as EventHandler<never>);
      handlers.set(name, list);
    },
    async emit(name, payload) {
      for (const handler of handlers.get(name) ?? []) await handler(payload as never);
    },
  };
}
