#!/usr/bin/env node
// Runs the compiled code in dist/ (`npm run build`, done by `npm ci` and `npm pack`): no TypeScript
// tooling at run time. Source maps make stack traces name the .ts lines.
process.setSourceMapsEnabled(true);
let entry;
try {
  entry = await import('../dist/cli/entry.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/cli/entry.js')) throw error;
  process.stderr.write('ds-ars n’est pas compilé : lancez « npm run build » (ou « npm ci ») dans le dossier du projet.\n');
  process.exit(2);
}
process.exitCode = await entry.run(process.argv);
