import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setProgramEnvironment } from '../src/cli/command-context.ts';
import { registerCheckCommand } from '../src/cli/commands/check.command.ts';
import { registerDemarcheCommand } from '../src/cli/commands/demarche.command.ts';
import { registerInitCommand } from '../src/cli/commands/init.command.ts';
import { loadConfigFile } from '../src/config/file.ts';
import { openDatabase } from '../src/db/database.ts';
import { dossierNode, ON_TIME, piece, text } from './rules-fixtures.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

const DEMARCHE = 57707;
// A form worded its own way, as `init` meets it.
const FORM = [
  { id: 'c1', typename: 'TextChampDescriptor', label: 'NOM du médecin candidat', required: 1 },
  { id: 'c2', typename: 'TextChampDescriptor', label: 'Prénom(s)', required: 1 },
  { id: 'c3', typename: 'DateChampDescriptor', label: 'Date de naissance', required: 1 },
  { id: 'c4', typename: 'TextChampDescriptor', label: "N° d'inscription RPPS (11 chiffres)", required: 0 },
  { id: 'c5', typename: 'PieceJustificativeChampDescriptor', label: 'Curriculum vitae du candidat', required: 1 },
  { id: 'c6', typename: 'PieceJustificativeChampDescriptor', label: 'Lettre de motivation', required: 1 },
  { id: 'r1', typename: 'RepetitionChampDescriptor', label: 'Projet co-construit', required: 0 },
  { id: 'r1c', typename: 'PieceJustificativeChampDescriptor', label: 'Fichier', required: 0, parent: 'r1' },
];
const ANNOTATIONS = [
  { id: 'a1', typename: 'TextareaChampDescriptor', label: 'Contrôle automatique – synthèse', required: 0 },
  { id: 'a2', typename: 'DropDownListChampDescriptor', label: 'Éligibilité', required: 0 },
];

let dir: string;
let target: string;
let out: string;
let err: string;

function program(): Command {
  const p = new Command().exitOverride().option('--json').option('--config <fichier>');
  p.configureOutput({ writeOut: (t) => void (out += t), writeErr: (t) => void (err += t) });
  // As main() does; vi.stubEnv below changes the variables this object holds.
  setProgramEnvironment(p, process.env);
  registerCheckCommand(p);
  registerDemarcheCommand(p);
  registerInitCommand(p);
  return p;
}
const run = (...args: string[]) => program().parseAsync(args, { from: 'user' });

describe.each(dialects)('rules CLI (%s)', (dialect) => {
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ds-ars-rules-cli-'));
    target = await freshTarget(dialect);
    out = '';
    err = '';
    vi.stubEnv('DS_ARS_DB', target);
    vi.stubEnv('DS_API_TOKEN', '');
    vi.stubEnv('DS_ARS_CONFIG', '');
    const db = await openDatabase(target);
    await db
      .insertInto('demarches')
      .values({
        number: DEMARCHE,
        id: 'D',
        title: 'ARSIF – AUMG vague 12',
        state: 'publiee',
        active_revision_id: 'rev1',
        fetched_at: '2025-04-01T00:00:00Z',
      })
      .execute();
    await db
      .insertInto('descriptors')
      .values([
        ...FORM.map((d, i) => ({
          revision_id: 'rev1',
          id: d.id,
          scope: 'champ' as const,
          parent_id: d.parent ?? null,
          position: i,
          typename: d.typename,
          label: d.label,
          description: null,
          required: d.required,
          options_json: null,
        })),
        ...ANNOTATIONS.map((d, i) => ({
          revision_id: 'rev1',
          id: d.id,
          scope: 'annotation' as const,
          parent_id: null,
          position: 100 + i,
          typename: d.typename,
          label: d.label,
          description: null,
          required: d.required,
          options_json: null,
        })),
      ])
      .execute();
    const node = dossierNode({ c1: text('Dupont'), c5: piece([]) }, { number: 1, dateDepot: ON_TIME.aumg });
    await db
      .insertInto('dossiers')
      .values({
        number: 1,
        id: node.id,
        demarche_number: DEMARCHE,
        revision_id: 'rev1',
        state: 'en_construction',
        date_depot: node.dateDepot,
        date_derniere_modification: 'v1',
        date_derniere_modification_champs: 'v1',
        date_derniere_modification_annotations: 'v1',
        raw_json: JSON.stringify(node),
        synced_at: 'v1',
      })
      .execute();
    await db.destroy();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  afterAll(async () => {
    await dropTestDatabases();
  });

  describe('ds-ars demarche inspect', () => {
    it('lists champs and annotations from the mirror, in French', async () => {
      await run('demarche', 'inspect', String(DEMARCHE));
      expect(out).toContain('source : miroir local');
      // The only dossier lacks c4: DS leaves out a champ a condition hides.
      expect(out).toMatch(/c4\s+Text\s+non\s+oui \(masqué dans 1\/1\)\s+N° d'inscription RPPS/);
      expect(out).toMatch(/c1\s+Text\s+oui\s+non\s+NOM du médecin candidat/);
      expect(out).toMatch(/r1c\s+PieceJustificative\s+non\s+› Fichier/);
      expect(out).toContain('Annotations privées (2)');
    });

    it('--json gives the descriptor tree', async () => {
      await run('--json', 'demarche', 'inspect', String(DEMARCHE));
      const json = JSON.parse(out);
      expect(json.champs.find((c: { id: string }) => c.id === 'r1').children[0].id).toBe('r1c');
    });
  });

  describe('ds-ars init', () => {
    it('writes a commented stub with the matched mapping and says what is missing', async () => {
      const file = join(dir, 'aumg.yaml');
      await run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg', '--out', file);
      const yaml = readFileSync(file, 'utf8');
      expect(yaml).toContain('candidat.nom: "c1"   # « NOM du médecin candidat »');
      expect(yaml).toContain('piece.projet: { repetition: "r1", champ: "r1c" }');
      expect(yaml).toContain('synthese: "a1"');
      expect(out).toContain('Champ requis non trouvé : « Zone sous-dense de la structure de soins » (structure.zone)');
      expect(out).toContain('renseigner session.closingDate');
      // Once the closing date is filled in, the stub is a valid configuration.
      const filled = join(dir, 'filled.yaml');
      writeFileSync(filled, yaml.replace(/closingDate: null.*$/m, 'closingDate: 2025-04-30'));
      expect(loadConfigFile(filled).demarches[0]?.mapping['candidat.rpps']).toBe('c4');
    });

    it('refuses to overwrite a file without --force', async () => {
      const file = join(dir, 'exists.yaml');
      writeFileSync(file, 'x');
      await expect(run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg', '--out', file)).rejects.toThrow(/existe déjà/);
    });

    // Issue #16 § 3: init merges into an existing configuration (several démarches, comments kept).
    const EXISTING = `# Configuration ARS Île-de-France (à garder)
instance:
  tokenEnv: DS_API_TOKEN # nom de la variable, jamais le jeton

demarches:
  # MGVH 2020, réglée à la main
  - number: 28541
    programme: mgvh
    session: { closingDate: 2020-03-13, startDates: [2020-11-02] }
    mapping:
      candidat.nom: "x1" # corrigé à la main
`;

    it('adds the démarche to an existing YAML configuration, keeping its comments and other démarches', async () => {
      const file = join(dir, 'ars.yaml');
      writeFileSync(file, EXISTING);
      await run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg', '--out', file);
      const yaml = readFileSync(file, 'utf8');
      // The user's part of the file comes back with its comments (yaml may re-space a flow list), the new block after it.
      expect(yaml.startsWith(EXISTING.slice(0, EXISTING.indexOf('    session:')))).toBe(true);
      expect(yaml.indexOf('# corrigé à la main')).toBeLessThan(yaml.indexOf(`number: ${DEMARCHE}`));
      for (const kept of [
        '# Configuration ARS Île-de-France (à garder)',
        '# nom de la variable, jamais le jeton',
        '# MGVH 2020, réglée à la main',
        '# corrigé à la main',
      ])
        expect(yaml).toContain(kept);
      expect(yaml).toContain('candidat.nom: "c1" # « NOM du médecin candidat »');
      expect(yaml).toContain(`# Démarche ${DEMARCHE} (AUMG) : bloc ajouté par « ds-ars init »`);
      expect(out).toContain(`Démarche ${DEMARCHE} ajoutée à ${file}`);
      writeFileSync(file, yaml.replace(/closingDate: null.*$/m, 'closingDate: 2025-04-30'));
      const config = loadConfigFile(file);
      expect(config.demarches.map((d) => d.number)).toEqual([28541, DEMARCHE]);
      expect(config.demarches[0]!.mapping['candidat.nom']).toBe('x1');
    });

    it('refuses to overwrite a démarche already in the file without --remplacer (exit 2), and replaces it with', async () => {
      const file = join(dir, 'ars.yaml');
      const before = EXISTING.replace('number: 28541', `number: ${DEMARCHE}`).replace('programme: mgvh', 'programme: aumg');
      writeFileSync(file, before);
      const refused = run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg', '--out', file);
      await expect(refused).rejects.toMatchObject({ code: 'usage' });
      await expect(refused).rejects.toThrow(
        `La démarche ${DEMARCHE} est déjà configurée dans ${file} : rien n’a été écrit. Pour remplacer son bloc`,
      );
      await expect(refused).rejects.toThrow(/relancez avec --remplacer/);
      expect(readFileSync(file, 'utf8')).toBe(before);

      await run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg', '--out', file, '--remplacer');
      const yaml = readFileSync(file, 'utf8');
      expect(yaml).toContain('# Configuration ARS Île-de-France (à garder)');
      expect(yaml).not.toContain('"x1"');
      expect(yaml.match(new RegExp(`number: ${DEMARCHE}`, 'g'))).toHaveLength(1);
      expect(out).toContain(`Démarche ${DEMARCHE} remplacée dans ${file}`);
    });

    it('says that merging needs YAML when the existing configuration is JSON (exit 2, file untouched)', async () => {
      const file = join(dir, 'ars.json');
      writeFileSync(file, '{"demarches": []}');
      await expect(run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg', '--out', file)).rejects.toThrow(
        /au format JSON : « ds-ars init » n’ajoute une démarche qu’à une configuration YAML/,
      );
      expect(readFileSync(file, 'utf8')).toBe('{"demarches": []}');
    });

    it('without --out, prints YAML on stdout and the notes on stderr', async () => {
      await run('init', '--demarche', String(DEMARCHE), '--programme', 'aumg');
      expect(out).toMatch(/^# Configuration générée/);
      expect(err).toContain('non trouvé');
    });

    // Issue #16 § 3: `init --programme asr` on an AUMG form wrote a file and exited 0.
    it('says the form does not look like the programme, writes nothing and fails (exit 1)', async () => {
      const file = join(dir, 'asr.yaml');
      const failure = run('init', '--demarche', String(DEMARCHE), '--programme', 'asr', '--out', file);
      await expect(failure).rejects.toMatchObject({ name: 'PartialFailure' });
      await expect(failure).rejects.toThrow(
        /^Le formulaire de la démarche 57707 ne ressemble pas au programme ASR : \d+ champs? requis reconnus? sur 23, il en faut au moins un tiers\. Il ressemble davantage au programme [A-Z]+ /,
      );
      expect(existsSync(file)).toBe(false);
    });
  });

  describe('ds-ars check', () => {
    it('checks with the configuration and prints a French summary', async () => {
      const config = join(dir, 'config.yaml');
      writeFileSync(
        config,
        `demarches:\n  - number: ${DEMARCHE}\n    programme: aumg\n    session: { closingDate: 2025-04-30, startDates: [2025-11-01] }\n    mapping: { candidat.nom: c1, piece.cv: c5 }\n`,
      );
      await run('--config', config, 'check');
      expect(out).toContain(`Démarche ${DEMARCHE} (AUMG) : 1 dossier ; 1 contrôlé à nouveau, 0 inchangé.`);
      expect(out).toContain('Complets : 0 — incomplets : 1');
      expect(out).toMatch(/complet\.piece_requise\s+\d+/);
      // The table of findings sits under its démarche, indented like the lines around it.
      expect(out).toMatch(/^ {2}Constats par règle :\n {4}Règle +Bloquants +Alertes +Infos\n {4}─+/m);
      out = '';
      await run('--config', config, '--json', 'check');
      expect(JSON.parse(out).demarches[0]).toMatchObject({ written: 0, unchanged: 1 });
    });

    it('fails with exit-code-1 semantics when the démarche was never synchronised', async () => {
      const config = join(dir, 'config.yaml');
      writeFileSync(config, 'demarches:\n  - number: 4242\n    programme: asr\n    session: { closingDate: 2026-01-31 }\n');
      await expect(run('--config', config, 'check')).rejects.toThrow(/1 démarche contrôlée partiellement ou pas du tout : 4242/);
      expect(out).toContain('lancez d’abord « ds-ars sync --demarche 4242 »');
    });

    it('without configuration → usage error', async () => {
      await expect(run('check')).rejects.toThrow(/Fichier de configuration requis/);
    });
  });
});
