export * from './common';
export * from './envelope';
export * from './topics';
export * from './events';
export * from './registry';
export * from './dead-letter';
export { canonicalHash, canonicalJson, sameJson } from './canonical-json';
