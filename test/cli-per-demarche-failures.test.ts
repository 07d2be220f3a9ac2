/**
 * One démarche that fails does not take the others down (README « Codes de sortie » : `1` échec
 * partiel — certains dossiers ou démarches en erreur, le reste est fait ; `2` erreur d’utilisation
 * ou de configuration). Démarche A (104512, Île-de-France) is configured with one of its own
 * instructeurs; démarche B (131207, Normandie) names an instructeur of A, who is in none of B’s
 * groupes (README « Premier passage pas à pas »). `annotate` and `instruire` used to stop at B with
 * exit 2 and print nothing of A. The CLI runs on the real mirror synced from the simulator over HTTP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { openDatabase } from '../src/db/database.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient } from '../src/graphql/client.ts';
import { startSimulator, type RunningSimulator, type SimDemarcheInfo } from '../src/simulator/index.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { argv, capture } from './support/cli-capture.ts';
import { ANNOTATION_LABELS } from './support/pushback-world.ts';

let sim: RunningSimulator;
let dir: string;
let a: SimDemarcheInfo;
let b: SimDemarcheInfo;
const saved = { ...process.env };

function entry(demarche: SimDemarcheInfo, instructeurEmail: string) {
  return {
    number: demarche.number,
    programme: demarche.programme,
    instructeurEmail,
    session: { closingDate: demarche.session.closingDate },
    annotations: { eligibilite: { label: ANNOTATION_LABELS.eligibilite }, complet: { label: ANNOTATION_LABELS.complet } },
    instruction: { enabled: true },
  };
}

function writeConfig(name: string, demarches: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ demarches }));
  return path;
}

async function run(...args: string[]) {
  const io = capture();
  const code = await main(argv(...args), io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, programmes: ['aumg', 'asr'], dossiersPerDemarche: 6 });
  [a, b] = [sim.demarches.find((d) => d.number === 104512)!, sim.demarches.find((d) => d.number === 131207)!];
  dir = mkdtempSync(join(tmpdir(), 'ds-ars-per-demarche-'));
  const dbPath = join(dir, 'ds-ars.sqlite');
  const db = await openDatabase(dbPath);
  try {
    const client = new DsClient({
      url: sim.graphqlUrl,
      token: sim.tokens.readWrite,
      budget: new RequestBudget({ perMinute: 60_000, burst: 100 }),
      maxRetries: 1,
      baseDelayMs: 5,
    });
    const report = await runSync({ db, client }, { demarches: [a.number, b.number] });
    expect(report.status).toBe('ok');
  } finally {
    await db.destroy();
  }
  Object.assign(process.env, {
    DS_API_URL: sim.graphqlUrl,
    DS_API_TOKEN: sim.tokens.readWrite,
    DS_ARS_DB: dbPath,
    DS_ARS_CONFIG: writeConfig('ds-ars.json', [entry(a, 'claire.moreau@ars.sante.fr'), entry(b, 'claire.moreau@ars.sante.fr')]),
    DS_ARS_RATE_LIMIT: '6000',
    DS_ARS_LOG_LEVEL: 'silent',
  });
  expect((await run('check')).code).not.toBe(2);
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const refusal = `L’instructeur « claire.moreau@ars.sante.fr » n’appartient à aucun groupe instructeur de la démarche 131207`;

describe('a démarche in error does not stop the others', () => {
  it('annotate (plan): A’s plan is printed, B is reported with its reason, exit 1', async () => {
    const before = sim.stats.mutations.length;
    const result = await run('annotate');
    expect(result.code).toBe(1);
    expect(result.out).toContain(`Annotations de la démarche ${a.number} — plan n°`);
    expect(result.out).toContain('à envoyer');
    expect(result.out).toContain(`Démarche ${b.number} : en échec`);
    expect(result.out).toContain(refusal);
    expect(result.err).toContain('Terminé avec des erreurs');
    // The summary: one line, then the démarche in failure on its own line.
    expect(result.err).toContain(
      `Terminé avec des erreurs : 1 démarche en échec, rien n’a été fait pour elle ; les autres ont été traitées :\n  - démarche ${b.number} en échec : ${refusal}`,
    );
    expect(sim.stats.mutations.length).toBe(before);
  });

  it('annotate --json: A’s plan and B’s failure, each in its entry', async () => {
    const result = await run('annotate', '--json');
    expect(result.code).toBe(1);
    const entries = JSON.parse(result.out) as Array<{ demarche: number; failed?: boolean; error?: string; items?: unknown[] }>;
    expect(entries.find((e) => e.demarche === a.number)?.items?.length).toBeGreaterThan(0);
    expect(entries.find((e) => e.demarche === b.number)).toMatchObject({ failed: true, code: 'config' });
    expect(entries.find((e) => e.demarche === b.number)?.error).toContain(refusal);
  });

  it('when every démarche fails on its configuration, exit 2 with each reason on its line', async () => {
    // Before any --apply: A still has annotations to write, so its instructeur is needed.
    const config = writeConfig('toutes-fausses.json', [entry(a, 'sophie.lecomte@ars.sante.fr'), entry(b, 'claire.moreau@ars.sante.fr')]);
    const result = await run('--config', config, 'annotate');
    expect(result.code).toBe(2);
    const lines = result.err.trimEnd().split('\n');
    expect(lines[0]).toBe('Erreur : aucune démarche n’a pu être traitée :');
    expect(lines[1]).toMatch(new RegExp(`^  - démarche ${a.number} : L’instructeur « sophie\\.lecomte@ars\\.sante\\.fr »`));
    expect(lines[2]).toMatch(new RegExp(`^  - démarche ${b.number} : L’instructeur « claire\\.moreau@ars\\.sante\\.fr »`));
  });

  it('annotate --apply: A’s annotations are sent, B gets nothing, exit 1', async () => {
    const dossiersOfA = sim.stats.mutations.length;
    const result = await run('annotate', '--apply', '--json');
    expect(result.code).toBe(1);
    const sentA = (JSON.parse(result.out) as Array<{ demarche: number; counts?: { sent: number } }>).find((e) => e.demarche === a.number)
      ?.counts?.sent;
    expect(sentA).toBeGreaterThan(0);
    expect(sim.stats.mutations.filter((m) => m.ok).length - dossiersOfA).toBeGreaterThanOrEqual(sentA!);
  });

  it('instruire (plan): A is handled, B reported with its reason, exit 1', async () => {
    const result = await run('instruire');
    expect(result.code).toBe(1);
    expect(result.out).toContain(`démarche ${a.number}`);
    expect(result.out).toContain(`Démarche ${b.number} : en échec`);
    expect(result.err).toContain(`démarche ${b.number} en échec : ${refusal}`);
  });
});
