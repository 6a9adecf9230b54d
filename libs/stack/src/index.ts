export * from './layout';
export * from './stack';
export * from './gateway-client';
