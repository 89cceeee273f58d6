/** A loopback TCP port nobody listens on right now. */
export function freePort(): Promise<number>;
