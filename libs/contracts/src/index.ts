export * from './common';
export * from './envelope';
export * from './topics';
export * from './events';
export * from './registry';
export * from './dead-letter';
