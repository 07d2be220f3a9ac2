#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { limitHeapGrowth } = await import('../src/heap-settings.ts');
limitHeapGrowth();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
