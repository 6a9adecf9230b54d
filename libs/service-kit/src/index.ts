export * from './tokens';
export * from './readiness';
export * from './service-kit.module';
export * from './run-service';
export * from './consumer';
export * from './namespace';
export * from './audit';
