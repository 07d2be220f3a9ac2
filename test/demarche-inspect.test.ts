// Issue #16 § 3: `inspect` shows drop-down options (with « Autre »), repetition children under their
// block and which champs are conditional, on the simulator's per-year ASR form synced over HTTP.
// Conditional champs: NOTES.md « Only visible? champs are returned, so conditionally hidden ones are absent ».
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { argv, capture } from './support/cli-capture.ts';
import { dialects } from './support/postgres.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { plural } from '../src/shared/plural.ts';

const DEMARCHE = 131208;

describe.each(dialects)('ds-ars demarche inspect on the per-year ASR form (%s)', (dialect) => {
  let fx: SyncFixture;
  let text = '';
  let json: {
    champs: Array<{
      id: string;
      label: string;
      type: string;
      otherOption?: boolean | null;
      options?: string[] | null;
      children?: Array<{ id: string; label: string; options?: string[] | null }>;
    }>;
    conditional: { dossiers: number; hiddenIn: Record<string, number> };
  };

  beforeAll(async () => {
    fx = await startSyncFixture(
      { seed: 3, programmes: [], variants: ['quotites_par_annee'], dossiersPerDemarche: 50, rateLimitPerMinute: 0 },
      dialect,
    );
    const db = await fx.openDb();
    await runSync({ db, client: fx.client() }, { demarches: [DEMARCHE] });
    vi.stubEnv('DS_ARS_DB', await fx.dbPath());
    vi.stubEnv('DS_API_TOKEN', '');
    vi.stubEnv('DS_ARS_CONFIG', '');
    const io = capture();
    expect(await main(argv('demarche', 'inspect', String(DEMARCHE)), io)).toBe(0);
    text = io.out();
    const jsonIo = capture();
    expect(await main(argv('--json', 'demarche', 'inspect', String(DEMARCHE)), jsonIo)).toBe(0);
    json = JSON.parse(jsonIo.out());
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await fx?.close();
  });

  it('lists the children of a repetition block indented under it', () => {
    const block = text.split('\n').findIndex((l) => l.includes('Répartition du temps de travail par année'));
    expect(block).toBeGreaterThan(0);
    const next = text.split('\n').slice(block + 1, block + 4);
    expect(next.map((l) => l.match(/› (.*)$/)?.[1]?.trim())).toEqual(['Année', 'Temps au CHU (%)', 'Temps au centre hospitalier (%)']);
    expect(next.every((l) => /^\s+\S/.test(l))).toBe(true);
    expect(text.split('\n')[block]).toMatch(/^\S/);
  });

  it('lists the choices of each list, « Autre » when the champ takes a free answer', () => {
    const statut = json.champs.find((c) => c.label === 'Statut actuel')!;
    expect(statut.otherOption).toBe(true);
    expect(text).toContain(`- ${statut.id} « Statut actuel » : « Interne », « Docteur Junior », Autre (réponse libre)`);
    const annee = json.champs.flatMap((c) => c.children ?? []).find((c) => c.label === 'Année')!;
    expect(text).toContain(`- ${annee.id} « Répartition du temps de travail par année › Année » : « Première année », « Deuxième année »`);
    const subdivision = json.champs.find((c) => c.label === 'Subdivision')!;
    expect(text).toContain(`- ${subdivision.id} « Subdivision » : « Rouen », « Caen »`);
    expect(text).not.toMatch(new RegExp(`${subdivision.id} « Subdivision » .*Autre`));
    const langues = json.champs.find((c) => c.label === 'Langues de travail')!;
    expect(text).toContain(`- ${langues.id} « Langues de travail » (plusieurs choix possibles) : « Français », « Anglais », « Espagnol »`);
    // DS marks the first list's choices « --Libellé-- », each followed by the second choices it opens.
    const linked = json.champs.find((c) => c.label === 'Option ou formation spécialisée transversale visée')!;
    expect(linked.type).toBe('LinkedDropDownList');
    expect(text).toContain(
      [
        `- ${linked.id} « Option ou formation spécialisée transversale visée » (deux listes liées) :`,
        '    « Option » → « Cardiologie interventionnelle », « Réanimation »',
        '    « FST » → « Addictologie », « Douleur »',
      ].join('\n'),
    );
  });

  it('says which champs a condition hid in the synced dossiers', () => {
    const rpps = json.champs.find((c) => c.label === 'Numéro RPPS')!;
    const nom = json.champs.find((c) => c.label === 'Nom du candidat')!;
    // Scenarios rpps_absent_date_prevue / _tardive hide the RPPS champ (not yet on the Ordre).
    expect(json.conditional.hiddenIn[rpps.id]).toBeGreaterThan(0);
    expect(json.conditional.hiddenIn[nom.id]).toBeUndefined();
    expect(text).toMatch(
      new RegExp(
        `${rpps.id}\\s+Text\\s+oui\\s+oui \\(masqué dans ${json.conditional.hiddenIn[rpps.id]}/${json.conditional.dossiers}\\)\\s+Numéro RPPS`,
      ),
    );
    expect(text).toMatch(new RegExp(`${nom.id}\\s+Text\\s+oui\\s+non\\s+Nom du candidat`));
    expect(text).toContain(
      `« Conditionnel » : d’après ${json.conditional.dossiers >= 2 ? 'les ' : ''}${plural(json.conditional.dossiers, 'dossier')} de cette révision dans le miroir`,
    );
  });
});

describe('inspect: the choices of each list', () => {
  it('names a multiple-choice list, gives « Autre » only where the champ takes a free answer, and lists block children by block', async () => {
    const { choiceLines } = await import('../src/cli/commands/demarche.command.ts');
    expect(
      choiceLines([
        { id: 'm', label: 'Langues parlées', type: 'MultipleDropDownList', required: false, options: ['Français', 'Anglais'] },
        { id: 'd', label: 'Zone', type: 'DropDownList', required: true, options: ['ZIP', 'ZAC'], otherOption: false },
        { id: 'o', label: 'Statut', type: 'DropDownList', required: true, options: ['Interne'], otherOption: true },
        {
          id: 'b',
          label: 'Avis',
          type: 'Repetition',
          required: false,
          children: [{ id: 'bs', label: 'Sens', type: 'DropDownList', required: false, options: ['Favorable', 'Défavorable'] }],
        },
        { id: 't', label: 'Nom', type: 'Text', required: true },
        { id: 'l', label: 'Site', type: 'LinkedDropDownList', required: false, options: ['--Rouen--', 'CHU', '', '--Caen--'] },
      ]),
    ).toEqual([
      '- m « Langues parlées » (plusieurs choix possibles) : « Français », « Anglais »',
      '- d « Zone » : « ZIP », « ZAC »',
      '- o « Statut » : « Interne », Autre (réponse libre)',
      '- bs « Avis › Sens » : « Favorable », « Défavorable »',
      '- l « Site » (deux listes liées) :',
      '    « Rouen » → « CHU »',
      '    « Caen » → (aucun second choix)',
    ]);
  });
});

// The built CLI (bin/ds-ars.js runs dist/) as a child process: `init` into an existing file, then
// refused for the same démarche (exit 2). The built `init` once failed on `await import('yaml')`.
// SQLite only: it is about the build; the mirror is read on both dialects by the describe above.
describe('ds-ars init (built CLI) into an existing configuration', () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({
      seed: 3,
      programmes: [],
      variants: ['quotites_par_annee'],
      dossiersPerDemarche: 5,
      rateLimitPerMinute: 0,
    });
    const db = await fx.openDb();
    await runSync({ db, client: fx.client() }, { demarches: [DEMARCHE] });
  });
  afterAll(async () => fx?.close());

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/ds-ars.js', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, DS_ARS_DB: join(fx.dir, 'mirror.sqlite'), DS_API_TOKEN: '', DS_ARS_CONFIG: '', DS_ARS_LOG_FORMAT: 'texte' },
      encoding: 'utf8',
    });

  it('adds the block with its per-year row selectors, then refuses to add it twice', () => {
    const file = join(fx.dir, 'ars.yaml');
    writeFileSync(file, '# Mes démarches\ndemarches: []\n');
    const added = cli('init', '--demarche', String(DEMARCHE), '--programme', 'asr', '--out', file);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const yaml = readFileSync(file, 'utf8');
    expect(yaml.startsWith('# Mes démarches\n')).toBe(true);
    expect(yaml).toMatch(/quotite\.chu\.annee2: \{ repetition: "[^"]+", champ: "[^"]+", ligne: \{ champ: "[^"]+", valeur: 2 \} \} # /);
    const again = cli('init', '--demarche', String(DEMARCHE), '--programme', 'asr', '--out', file);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`La démarche ${DEMARCHE} est déjà configurée dans ${file} : rien n’a été écrit.`);
    expect(readFileSync(file, 'utf8')).toBe(yaml);
    expect(existsSync(file)).toBe(true);
  });
});
