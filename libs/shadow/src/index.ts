export * from './shadow-report';
export * from './shadow-index';
export * from './shadow-reader';
