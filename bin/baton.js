#!/usr/bin/env node
require('../dist/runtime/paths.js');
require('../dist/apps/cli/src/main.js');
