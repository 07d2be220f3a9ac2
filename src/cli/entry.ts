/**
 * What bin/ds-ars.js runs: process-wide settings, then the CLI. Kept apart from main.ts so tests
 * can call `main()` in-process without touching the process.
 */
import { limitHeapGrowth } from '../heap-settings.ts';
import { useProxyFromEnv } from '../http/proxy.ts';
import { exitQuietlyOnClosedPipe } from './closed-pipe.ts';

export async function run(argv: string[]): Promise<number> {
  limitHeapGrowth();
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  await useProxyFromEnv();
  const { main } = await import('./main.ts');
  return main(argv);
}
