// Lets compiled code under dist/ resolve the `@baton/<lib>` aliases that TypeScript's
// `paths` resolves at compile time. Loaded first by every compiled entry point.
import * as path from 'node:path';
import { register } from 'tsconfig-paths';

const distRoot = path.resolve(__dirname, '..');
register({ baseUrl: distRoot, paths: { '@baton/telemetry/preload': ['libs/telemetry/src/preload.js'], '@baton/*': ['libs/*/src/index.js'] }, addMatchAll: false });
