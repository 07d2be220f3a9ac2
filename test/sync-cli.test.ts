/** `ds-ars sync` and `ds-ars status` end to end: French output, --json, exit codes 0 / 1 / 2. */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';

const saved = { ...process.env };
const argv = (...args: string[]) => ['node', 'ds-ars', ...args];

function capture(): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { env: process.env, writeOut: (t) => void out.push(t), writeErr: (t) => void err.push(t), out: () => out.join(''), err: () => err.join('') };
}

describe('ds-ars sync / status', () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 41, programmes: ['asap'], dossiers: { asap: 40 } });
  });
  afterAll(async () => fx?.close());
  beforeEach(() => {
    process.env = { ...saved };
    delete process.env['DS_ARS_CONFIG'];
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: join(fx.dir, 'cli.sqlite'),
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });
  afterEach(() => {
    process.env = saved;
  });

  it('syncs the démarches given on the command line, without a config file, and prints JSON', async () => {
    const io = capture();
    expect(await main(argv('--json', 'sync', '--demarche', String(fx.demarche)), io)).toBe(0);
    const report = JSON.parse(io.out()) as { status: string; results: Array<{ demarche: number; upserted: number; mode: string }> };
    expect(report.status).toBe('ok');
    expect(report.results).toEqual([expect.objectContaining({ demarche: fx.demarche, upserted: 40, mode: 'full' })]);
  });

  it('prints a French table, then the status per démarche', async () => {
    const sync = capture();
    expect(await main(argv('sync', '-d', String(fx.demarche)), sync)).toBe(0);
    expect(sync.out()).toMatch(/Démarche\s+Mode\s+Résultat/);
    expect(sync.out()).toMatch(new RegExp(`${fx.demarche}\\s+incrémentale\\s+ok`));

    const status = capture();
    expect(await main(argv('status'), status)).toBe(0);
    expect(status.out()).toMatch(/Démarche\s+Dossiers\s+Par état/);
    expect(status.out()).toContain(String(fx.demarche));

    const json = capture();
    expect(await main(argv('status', '--json'), json)).toBe(0);
    const [row] = JSON.parse(json.out()) as Array<{ demarche: number; live: number; deleted: number; lastRun: { status: string }; lastError: string | null }>;
    expect(row).toMatchObject({ demarche: fx.demarche, live: 40, deleted: 0, lastRun: { status: 'ok' }, lastError: null });
  });

  it('exits 1 when a démarche fails, and names it', async () => {
    fx.sim.store.editDossier(fx.sim.store.listDossiers(fx.demarche).find((d) => d.state === 'en_construction')!.number);
    fx.sim.setFaults({ malformedNextAnswers: 1 });
    const io = capture();
    expect(await main(argv('sync', '--demarche', String(fx.demarche)), io)).toBe(1);
    expect(io.err()).toContain(`Terminé avec des erreurs : synchronisation incomplète pour la ou les démarches ${fx.demarche}`);
    expect(io.out()).toContain('échec');
    const status = capture();
    await main(argv('status'), status);
    expect(status.out()).toContain(`Démarche ${fx.demarche}, dernière erreur : Réponse de DS inattendue`);
  });

  it('exits 2 on usage errors: no démarche at all, or a number that is not one', async () => {
    const none = capture();
    expect(await main(argv('sync'), none)).toBe(2);
    expect(none.err()).toContain('Aucune démarche à synchroniser');
    const bad = capture();
    expect(await main(argv('sync', '--demarche', 'abc'), bad)).toBe(2);
    expect(bad.err()).toContain('numéro de démarche');
  });

  it('explains the incremental mode and the labels pass in --help', async () => {
    const io = capture();
    expect(await main(argv('sync', '--help'), io)).toBe(0);
    expect(io.out()).toContain('--labels');
    expect(io.out()).toContain('sync.labelsEveryHours');
  });
});
