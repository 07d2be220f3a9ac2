// Preloaded (node --require) by cli.bench.ts: writes the process's peak resident memory (KiB, from
// getrusage) to the file named by DS_ARS_BENCH_PEAK_FILE when the process exits. CommonJS: an ES
// module preload (--import) would start the ES module loader early and add ~15 MB to every figure.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.DS_ARS_BENCH_PEAK_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
