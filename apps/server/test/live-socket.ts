import type { TLiveServerMessage } from '@clockpilot/contracts';
import WebSocket from 'ws';

/** A client of the live WebSocket at `url`, with the messages it got and its close code. */
export async function connectLive(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, options);
  const messages: TLiveServerMessage[] = [];
  const waiters: (() => void)[] = [];
  let closed: number | undefined;
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  socket.on('close', (code: number) => {
    closed = code;
    for (const w of waiters.splice(0)) w();
  });
  socket.on('open', () => {
    for (const w of waiters.splice(0)) w();
  });
  const until = async <T>(check: () => T | undefined): Promise<T> => {
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (closed !== undefined) throw new Error(`closed with ${closed}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  // Opened, or refused at once (the close code then tells why).
  await until(() => (socket.readyState === WebSocket.OPEN ? true : undefined)).catch(() => undefined);
  return {
    socket,
    send: (m: unknown) => socket.send(typeof m === 'string' ? m : JSON.stringify(m)),
    next: <K extends TLiveServerMessage['type']>(type: K, clusterId?: string) =>
      until(
        () =>
          messages.find(
            (m) => m.type === type && (!clusterId || ('clusterId' in m && m.clusterId === clusterId)),
          ) as Extract<TLiveServerMessage, { type: K }> | undefined,
      ),
    count: (type: TLiveServerMessage['type']) => messages.filter((m) => m.type === type).length,
    closedWith: () =>
      new Promise<number>((resolve) => {
        if (closed !== undefined) return resolve(closed);
        socket.on('close', (code: number) => resolve(code));
      }),
  };
}
