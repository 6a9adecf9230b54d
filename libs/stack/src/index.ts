export * from './layout';
export * from './stack';
