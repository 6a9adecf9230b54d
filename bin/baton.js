#!/usr/bin/env node
require('../dist/tools/runtime/paths.js');
require('../dist/apps/cli/src/main.js');
