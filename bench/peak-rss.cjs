// Preloaded (node --require) by cli.bench.ts: writes the process's peak resident memory (KiB) to the
// file named by DS_ARS_BENCH_PEAK_FILE when the process exits. VmHWM of /proc/self/status (Linux):
// getrusage's maxRSS survives exec and would report the spawning bench process's own size.
// CommonJS: an ES module preload (--import) would start the ES module loader early (+15 MB).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.DS_ARS_BENCH_PEAK_FILE;
  if (!file) return;
  const hwm = /^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(file, hwm ? hwm[1] : String(process.resourceUsage().maxRSS));
});
