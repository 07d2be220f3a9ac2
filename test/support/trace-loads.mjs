// `node --import ./test/support/trace-loads.mjs …`: appends every module URL the process loads to
// the file named by DS_ARS_TRACE_LOADS (test of lazy loading in cli-conventions.test.ts).
import { register } from 'node:module';

register(new URL('./trace-loads-hooks.mjs', import.meta.url), { data: { file: process.env.DS_ARS_TRACE_LOADS } });
