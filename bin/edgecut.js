#!/usr/bin/env node
'use strict';
process.env.ORT_DISABLE_TELEMETRY = '1';
try {
  require('../dist/cli.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('edgecut: not built yet; run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
