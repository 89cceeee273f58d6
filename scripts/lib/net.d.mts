/** A loopback TCP port nobody listens on right now, within `FREE_PORT_RANGE` (`5500-5599`) when set. */
export function freePort(): Promise<number>;
