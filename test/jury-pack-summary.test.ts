/**
 * On a mirror synced without files (README « Premier passage pas à pas » : miroir déjà synchronisé
 * sans pièces : sync --full --files), every piece of every candidate is left out of the jury pack.
 * `dossier-jury` and `report --dossier-jury` used to print one line per piece (hundreds of lines);
 * they now print one line per démarche — dossiers concerned, pieces left out, the one remedy —
 * while each piece stays in --json (and on the candidate's summary page in the PDF).
 * Real CLI, real SQLite mirror synced from the simulator over HTTP.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { openDatabase } from '../src/db/database.ts';
import { argv, capture } from './support/cli-capture.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { plural } from '../src/shared/plural.ts';

const saved = { ...process.env };
let fx: SyncFixture;
/** From the mirror: the files of each dossier en instruction (the pack's candidates by default). */
let expected: { dossiers: number; pieces: number };

// Labels of the simulator's AUMG form (src/simulator/programmes.ts).
const MAPPING = {
  'candidat.nom': { label: 'Nom du candidat' },
  'candidat.prenom': { label: 'Prénom du candidat' },
  'piece.cv': { label: 'Curriculum vitae' },
  'piece.lettre_motivation': { label: 'Lettre de motivation' },
};

async function run(...args: string[]) {
  const io = capture();
  const code = await main(argv(...args), io);
  return { code, out: io.out(), err: io.err() };
}

const HINT = '« ds-ars sync --full --files »';

beforeAll(async () => {
  fx = await startSyncFixture({ seed: 31, programmes: ['aumg'], dossiersPerDemarche: 30, rateLimitPerMinute: 0 });
  const configPath = join(fx.dir, 'ds-ars.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      demarches: [
        { number: fx.demarche, programme: 'aumg', session: { closingDate: '2025-04-30', startDates: ['2025-11-01'] }, mapping: MAPPING },
      ],
      output: { dir: join(fx.dir, 'rapports') },
    }),
  );
  Object.assign(process.env, {
    DS_API_URL: fx.sim.graphqlUrl,
    DS_API_TOKEN: fx.sim.tokens.readWrite,
    DS_ARS_DB: join(fx.dir, 'pack.sqlite'),
    DS_ARS_FILES_DIR: fx.filesDir,
    DS_ARS_CONFIG: configPath,
    DS_ARS_LOG_LEVEL: 'silent',
    DS_ARS_RATE_LIMIT: '10000',
  });
  const sync = await run('sync');
  expect(sync.code, sync.err).toBe(0);
  const db = await openDatabase(join(fx.dir, 'pack.sqlite'));
  try {
    const rows = await db
      .selectFrom('files as f')
      .innerJoin('dossiers as d', 'd.number', 'f.dossier_number')
      .select(['f.dossier_number as dossier', 'f.descriptor_id', 'f.position', 'f.checksum', 'f.local_path'])
      .where('d.state', '=', 'en_instruction')
      .where('d.deleted_at', 'is', null)
      .execute();
    expect(
      rows.every((r) => r.local_path === null),
      'synced without --files',
    ).toBe(true);
    const distinct = new Set(rows.map((r) => `${r.dossier}|${r.descriptor_id}|${r.position}|${r.checksum}`));
    expected = { dossiers: new Set(rows.map((r) => r.dossier)).size, pieces: distinct.size };
  } finally {
    await db.destroy();
  }
  expect(expected.pieces, 'enough pieces to be noisy').toBeGreaterThan(20);
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await fx?.close();
});

const summary = () =>
  new RegExp(
    `^Démarche ${fx.demarche} : ${plural(expected.pieces, 'pièce non incluse', 'pièces non incluses')} dans le dossier du jury, pour ${plural(expected.dossiers, 'dossier')} — ${plural(expected.pieces, 'jamais téléchargée', 'jamais téléchargées')} \\(lancez ${HINT}\\)\\.`,
  );

describe('pieces left out of the jury pack, on a mirror synced without files', () => {
  it('dossier-jury: one line for the démarche, with the counts and the one remedy', async () => {
    const result = await run('dossier-jury', '--out', join(fx.dir, 'pack'));
    expect(result.code, result.err).toBe(0);
    const lines = result.out.split('\n').filter((l) => /pièces? non incluses?/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(summary());
    expect(result.out.split(HINT)).toHaveLength(2);
  });

  it('report --dossier-jury: the same single line', async () => {
    const result = await run('report', '--dossier-jury', '--out', join(fx.dir, 'report'));
    expect(result.code, result.err).toBe(0);
    const lines = result.out.split('\n').filter((l) => /pièces? non incluses?/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(summary());
  });

  it('--json keeps each piece left out, with its reason', async () => {
    const result = await run('--json', 'dossier-jury', '--out', join(fx.dir, 'json'));
    expect(result.code, result.err).toBe(0);
    const [item] = JSON.parse(result.out) as Array<{
      packs: Array<{ excluded: Array<{ dossierNumber: number; reason: string; cause: string }> }>;
    }>;
    const excluded = item!.packs.flatMap((p) => p.excluded);
    expect(excluded).toHaveLength(expected.pieces);
    expect(new Set(excluded.map((e) => e.dossierNumber)).size).toBe(expected.dossiers);
    for (const e of excluded) expect(e).toMatchObject({ reason: `fichier non téléchargé (lancez ${HINT})`, cause: 'not_downloaded' });
  });
});
