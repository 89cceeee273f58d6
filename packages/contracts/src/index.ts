export * from './common';
export * from './directory';
export * from './health';
export * from './identity';
export * from './permissions';
export * from './security';
export * from './time';
